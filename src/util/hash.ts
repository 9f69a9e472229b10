/**
 * Digests through Bun's native hasher: importing `node:crypto` loads Node's stream machinery,
 * which cost every command about 8 ms of start-up (docs/benchmarks.md, "Start-up").
 */

type Algorithm = "sha1" | "sha256";
type Data = string | Uint8Array;

export function digestHex(algorithm: Algorithm, data: Data): string {
  return new Bun.CryptoHasher(algorithm).update(data).digest("hex");
}

export function digestBase64(algorithm: Algorithm, data: Data): string {
  return new Bun.CryptoHasher(algorithm).update(data).digest("base64");
}

export function digestBytes(algorithm: Algorithm, data: Data): Buffer {
  return Buffer.from(new Bun.CryptoHasher(algorithm).update(data).digest());
}

export function sha256Hex(data: Data): string {
  return digestHex("sha256", data);
}

/** `bytes` random bytes as hex (Web Crypto, also native). */
export function randomHex(bytes: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");
}
