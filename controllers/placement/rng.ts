/**
 * mulberry32: a tiny, fast, seeded PRNG (32-bit state). Returns a function yielding uniform
 * numbers in [0, 1). Pure: the state lives in the returned closure only.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index in [0, n) from an rng value, robust to an rng that (wrongly) returns 1. */
export function pickIndex(rng: () => number, n: number): number {
  const i = Math.floor(rng() * n);
  return i >= n ? n - 1 : i < 0 ? 0 : i;
}
