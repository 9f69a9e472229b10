import { afterAll } from "bun:test";
import { removeCreated } from "./tmp.ts";

// A hook registered in a preload runs once, after every test file (bunfig.toml).
afterAll(removeCreated);
