/**
 * The champion model package, loaded once: its input schema (the fields to analyse) and its reference profile
 * (what drift compares against). Loaded lazily so the console opens even when no model package is installed.
 */
import {
  loadModelPackage,
  type ModelPackage,
  type NumberProfile,
  type ReferenceProfile,
} from '../../core/contract/index.ts';
import { resolveModel } from '../../core/registry/index.ts';
import { ConsoleError } from '../../console-api/errors.ts';

export interface Champion {
  pkg: ModelPackage;
  profile: ReferenceProfile;
}

export class ChampionReference {
  private loading: Promise<Champion> | null = null;

  constructor(private readonly modelsDir: string) {}

  /** The champion, or REFERENCE_UNAVAILABLE naming what is missing. */
  get(): Promise<Champion> {
    this.loading ??= this.load().catch((error: unknown) => {
      this.loading = null;
      const message = error instanceof Error ? error.message : String(error);
      throw new ConsoleError('REFERENCE_UNAVAILABLE', message);
    });
    return this.loading;
  }

  /** Drops the loaded champion, so the next `get` reads the registry again (after the champion alias moved). */
  forget(): void {
    this.loading = null;
  }

  async tryGet(): Promise<Champion | null> {
    try {
      return await this.get();
    } catch {
      return null;
    }
  }

  private async load(): Promise<Champion> {
    const resolved = await resolveModel(this.modelsDir, 'champion');
    const pkg = await loadModelPackage(resolved.dir);
    return { pkg, profile: pkg.profile };
  }
}

/**
 * Spreads a quantile-binned profile over fixed bins, each reference bin's mass uniform between its edges (the
 * profile keeps only decile edges and counts); good enough to draw the reference next to the current histogram.
 */
export function reshareProfile(profile: NumberProfile, edges: number[]): number[] {
  const shares = new Array<number>(edges.length - 1).fill(0);
  if (!profile.edges || !profile.bin_counts || profile.min === undefined || profile.max === undefined) return shares;
  const bounds = [profile.min, ...profile.edges, profile.max];
  const total = profile.bin_counts.reduce((a, b) => a + b, 0) || 1;
  profile.bin_counts.forEach((count, i) => {
    const lo = bounds[i]!;
    const hi = bounds[i + 1]!;
    for (let b = 0; b < shares.length; b++) {
      const overlap =
        hi > lo
          ? Math.max(0, Math.min(hi, edges[b + 1]!) - Math.max(lo, edges[b]!)) / (hi - lo)
          : lo >= edges[b]! && lo < edges[b + 1]!
            ? 1
            : 0;
      shares[b]! += (count / total) * overlap;
    }
  });
  return shares;
}

/**
 * A value derived from the champion of a models folder (its drift reference, its sketch layout), computed once per
 * folder; a failure is not kept, so the next call tries again, and it is always a ConsoleError.
 */
export class ChampionDerived<T> {
  private modelsDir = '';
  private value: Promise<T> | null = null;

  constructor(private readonly derive: (champion: Champion) => Promise<T>) {}

  get(modelsDir: string): Promise<T> {
    if (this.modelsDir !== modelsDir) this.value = null;
    this.modelsDir = modelsDir;
    this.value ??= new ChampionReference(modelsDir)
      .get()
      .then(this.derive)
      .catch((error: unknown) => {
        this.value = null;
        throw error instanceof ConsoleError
          ? error
          : new ConsoleError('REFERENCE_UNAVAILABLE', (error as Error).message);
      });
    return this.value;
  }
}
