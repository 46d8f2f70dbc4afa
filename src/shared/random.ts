// Seeded pseudo-random numbers, identical on every machine and backend (pure JS, no Math.random).

/** mulberry32: a small, fast 32-bit generator; good enough for shuffling and toy data, not for crypto. */
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

/** Standard normal deviates by the Box–Muller transform over a uniform generator. */
export function normalSampler(uniform: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = 1 - uniform(); // (0, 1]: log(0) is never taken
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** Fisher–Yates permutation of 0..n-1. */
export function permutation(n: number, uniform: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/**
 * A seed for item `index` of a generated data set, mixed from the user's seed and a stream number
 * (one per generator or process), so that any slice of rows can be generated alone and in any order
 * and still gives the same values (chunked, parallel and resumed generation stay reproducible).
 * It is murmur3 (32-bit) of the four words seed, stream, index (low, high): every input word is mixed
 * before the next enters, so no two (seed, index) pairs are related by a simple shift or xor.
 */
export function itemSeed(seed: number, stream: number, index: number): number {
  let h = 0;
  for (const word of [seed >>> 0, stream >>> 0, index >>> 0, Math.floor(index / 0x100000000) >>> 0]) {
    let k = Math.imul(word, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= 16; // the input length in bytes
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
