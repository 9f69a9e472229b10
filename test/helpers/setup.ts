import { setDefaultTimeout } from "bun:test";

// End-to-end tests start real processes (the Copilot CLI, git, the compiled binary): give every
// test a minute unless it says otherwise. Unit tests finish in milliseconds either way.
setDefaultTimeout(60_000);
