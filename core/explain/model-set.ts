/**
 * The three models a what-if compares — champion (answering through its fallback chain, as in production),
 * challenger and fallback (each alone) — loaded once through `core/engine`, so explanations score exactly what the
 * API would: the same packages, preprocessing inside the graph.
 */
import type { Applicant, InputSchema } from '../contract/index.ts';
import { createEngine, type ModelDescription, type ScoreResult, type ScoringEngine } from '../engine/index.ts';

export const MODEL_ROLES = ['champion', 'challenger', 'fallback'] as const;
export type ModelRole = (typeof MODEL_ROLES)[number];

/** One loaded model of the set. */
export interface SetMember {
  role: ModelRole;
  name: string;
  version: string;
  kind: string;
  dir: string;
  threshold: number;
  /** Fields the model's graph reads; the others cannot change its answer. */
  inputs: ReadonlySet<string>;
  engine: ScoringEngine;
}

export interface ModelSetOptions {
  /** @default 'models' */
  modelsDir?: string;
  /** Worker threads per model. @default 1 */
  workers?: number;
  /** Roles to load. @default every role the registry has */
  roles?: readonly ModelRole[];
  /** What loads under a role: a registry alias, a version or a package directory. @default the role's own alias */
  refs?: Partial<Record<ModelRole, string>>;
}

export interface ModelSet {
  readonly members: readonly SetMember[];
  /** The champion's schema (the form and every validation use it). */
  readonly schema: InputSchema;
  member(role: ModelRole): SetMember | null;
  /** Probabilities of one model for many validated applicants, one model run per batch. */
  probabilities(role: ModelRole, applicants: readonly Applicant[]): Promise<Float64Array>;
  /** Full answers (decision, served_by, version) of one model. */
  score(role: ModelRole, applicants: readonly Applicant[]): Promise<ScoreResult[]>;
  close(): Promise<void>;
}

/** Explanations score thousands of rows in one call: a production deadline would send them down the fallback chain. */
const BATCH_DEADLINE_MS = 120_000;

function memberOf(role: ModelRole, engine: ScoringEngine, description: ModelDescription): SetMember {
  return {
    role,
    name: description.name,
    version: description.version,
    kind: description.kind,
    dir: description.dir,
    threshold: description.threshold,
    inputs: new Set(description.inputs),
    engine,
  };
}

/** Loads the models; a role whose alias the registry lacks is left out (the champion must load). */
export async function openModelSet(options: ModelSetOptions = {}): Promise<ModelSet> {
  const modelsDir = options.modelsDir ?? 'models';
  const workers = options.workers ?? 1;
  const roles = options.roles ?? MODEL_ROLES;
  const members: SetMember[] = [];
  try {
    for (const role of roles) {
      let engine: ScoringEngine;
      const ref = options.refs?.[role] ?? role;
      try {
        engine = await createEngine({
          modelsDir,
          champion: ref,
          // Only the registry's champion answers through its fallback chain, as the API serves it.
          fallback: role === 'champion' && ref === 'champion' ? undefined : null,
          workers,
          intraOpThreads: 1,
          maxBatchSize: 256,
          deadlineMs: BATCH_DEADLINE_MS,
          // What-if scores one edited applicant at a time; the console backend and the CLI serve nobody else from
          // this thread, so a lone applicant skips the two thread wake-ups (decision 1613).
          loneApplicantsInline: true,
        });
      } catch (error) {
        if (role === 'champion' || options.refs?.[role] !== undefined) throw error;
        continue;
      }
      members.push(memberOf(role, engine, engine.describe().models[0]!));
    }
  } catch (error) {
    await Promise.all(members.map((m) => m.engine.close()));
    throw error;
  }
  const byRole = new Map(members.map((m) => [m.role, m]));
  const get = (role: ModelRole): SetMember => {
    const found = byRole.get(role);
    if (!found) throw new RangeError(`the registry has no ${role} model`);
    return found;
  };
  return {
    members,
    schema: get('champion').engine.schema,
    member: (role) => byRole.get(role) ?? null,
    async probabilities(role, applicants) {
      if (applicants.length === 0) return new Float64Array(0);
      const results = await get(role).engine.scoreMany(applicants, { deadlineMs: BATCH_DEADLINE_MS });
      return Float64Array.from(results, (r) => r.probability);
    },
    score: (role, applicants) =>
      applicants.length === 0
        ? Promise.resolve([])
        : get(role).engine.scoreMany(applicants, { deadlineMs: BATCH_DEADLINE_MS }),
    close: async () => void (await Promise.all(members.map((m) => m.engine.close()))),
  };
}
