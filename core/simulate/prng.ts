/**
 * A small seeded pseudo-random generator (sfc32, seeded through splitmix32).
 *
 * Math.random cannot be seeded, and the simulator promises byte-identical output for the same seed on every machine,
 * so every draw goes through this generator. sfc32 passes PractRand/BigCrush, needs only 32-bit integer arithmetic
 * (fast in V8) and has a 2^128 state, far more than the billions of draws a large simulation makes.
 */

const TWO_POW_32 = 4_294_967_296;

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A cumulative weight table for `Random.pick`, built once (draws are then a short linear scan). */
export interface WeightedTable<T> {
  readonly values: readonly T[];
  readonly cumulative: Float64Array;
}

export function weightedTable<T>(entries: ReadonlyArray<readonly [T, number]>): WeightedTable<T> {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  const cumulative = new Float64Array(entries.length);
  let running = 0;
  entries.forEach(([, weight], index) => {
    running += weight / total;
    cumulative[index] = running;
  });
  cumulative[entries.length - 1] = 1;
  return { values: entries.map(([value]) => value), cumulative };
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal = Number.NaN;

  /**
   * @param seed any safe integer (both 32-bit halves are used)
   * @param stream an independent stream number, so one seed can drive several uncorrelated generators
   */
  constructor(seed: number, stream = 0) {
    const low = splitmix32((seed >>> 0) ^ Math.imul(stream + 1, 0x27d4eb2d));
    const high = splitmix32(Math.floor(seed / TWO_POW_32) >>> 0);
    this.a = low() ^ high();
    this.b = low() ^ high();
    this.c = low() ^ high();
    this.d = 1;
    for (let i = 0; i < 15; i += 1) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform on [0, 1). */
  float(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** Uniform on [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Uniform integer on [min, max], both included. */
  integer(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const spare = this.spareNormal;
      this.spareNormal = Number.NaN;
      return spare;
    }
    const u = 1 - this.float();
    const v = this.float();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-scale standard deviation. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  pick<T>(table: WeightedTable<T>): T {
    const u = this.float();
    const { cumulative } = table;
    let index = 0;
    while (index < cumulative.length - 1 && u >= cumulative[index]!) index += 1;
    return table.values[index]!;
  }
}
