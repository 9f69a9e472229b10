/**
 * mulberry32 (Tommy Ettinger): a 32-bit-state PRNG, returning floats in [0, 1). Tiny, fast and
 * good enough for resampling; not cryptographic. The same seed always yields the same stream,
 * which is what makes bootstrap intervals and Monte Carlo p-values reproducible. Only the low
 * 32 bits of the seed are used.
 */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
