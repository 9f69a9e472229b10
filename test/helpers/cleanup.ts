import { afterAll } from "bun:test";
import { removeCreated } from "./tmp.ts";

// A hook registered in a preload runs once, after every test file (bunfig.toml). Removing a
// whole suite's folders takes a while on a loaded machine: a generous timeout of its own.
afterAll(removeCreated, 300_000);
