import { afterAll } from "bun:test";
import { removeCreated } from "./tmp.ts";

// A hook registered in a preload runs once, after every test file (bunfig.toml). Removing
// what the suite made (release builds, Copilot CLIs) can take longer than a hook's default 5 s.
afterAll(removeCreated, 300_000);
