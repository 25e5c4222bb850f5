/**
 * A small seeded pseudo-random generator (mulberry32): the corpora must come out byte for byte the
 * same for the same seed on every machine, which Math.random cannot give.
 */

/** A deterministic source of random choices. */
export interface Random {
  /** Returns a float in [0, 1). */
  next(): number;
  /** Returns an integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** Returns one element of a non-empty list. */
  pick<T>(list: readonly T[]): T;
  /** Returns true with probability `p`. */
  chance(p: number): boolean;
  /** Returns `n` lowercase letters and digits, as Kubernetes uses in generated names. */
  suffix(n: number): string;
  /** Returns a random RFC 4122 version-4 UUID string. */
  uuid(): string;
}

/** Returns a 32-bit hash of a string (FNV-1a), to derive independent streams from one seed. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

// Kubernetes' utilrand alphabet for generated names: no vowels, no 0/1/3 (no words, no look-alikes).
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Returns a generator seeded with `seed` and a stream name (each corpus gets its own stream). */
export function createRandom(seed: number, stream = ''): Random {
  let state = (seed ^ hash32(stream)) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const hex = (n: number): string => Array.from({ length: n }, () => int(0, 15).toString(16)).join('');
  return {
    next,
    int,
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    suffix: (n) => Array.from({ length: n }, () => NAME_ALPHABET[int(0, NAME_ALPHABET.length - 1)]).join(''),
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(0, 3)]}${hex(3)}-${hex(12)}`,
  };
}
