import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { digestBase64, digestBytes, digestHex, randomHex, sha256Hex } from "../../../src/util/hash.ts";

// Scopes, experiment hashes and git index checksums were made with node:crypto: the values must
// not change with the hasher (a resume finds its trials' processes by the scope's hash).
describe("hash", () => {
  const inputs = ["", "cx:/results/demo/run", "é’ unicode 🚀", "x".repeat(100_000)];

  test("hex, base64 and bytes equal node:crypto's digests", () => {
    for (const text of inputs) {
      expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
      expect(digestHex("sha1", text)).toBe(createHash("sha1").update(text, "utf8").digest("hex"));
      expect(digestBase64("sha256", text)).toBe(createHash("sha256").update(text, "utf8").digest("base64"));
      const bytes = Buffer.from(text, "utf8");
      expect(digestBytes("sha1", bytes).equals(createHash("sha1").update(bytes).digest())).toBe(true);
    }
  });

  test("randomHex gives the asked number of bytes, differently each time", () => {
    const a = randomHex(3);
    expect(a).toMatch(/^[0-9a-f]{6}$/);
    const seen = new Set(Array.from({ length: 50 }, () => randomHex(8)));
    expect(seen.size).toBe(50);
  });
});
