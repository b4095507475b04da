/**
 * The what-if home every shell calls (console backend, `vigie explain`, `vigie sensitivity`): the three models, the
 * champion's reference sample and the explanations built on them. Loaded once, then reused.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_FILES, type Applicant } from '../contract/index.ts';
import { findFlips, type FlipResult } from './flips.ts';
import { MODEL_ROLES, openModelSet, type ModelRole, type ModelSet, type ModelSetOptions } from './model-set.ts';
import { readReferenceSample, typicalApplicant, type ReferenceSample } from './reference-sample.ts';
import { ExplainInputError, sensitivity, type SensitivityCurve } from './sensitivity.ts';
import { shapley, type ShapleyResult } from './shapley.ts';
import type { ProbabilityFn } from './types.ts';

export interface ModelAnswer {
  role: ModelRole;
  name: string;
  version: string;
  probability: number;
  decision: 'approve' | 'refuse';
  threshold: number;
  servedBy: string;
  degraded: boolean;
}

export interface GoldenApplicant {
  label: string;
  applicant: Applicant;
}

export interface Explainer {
  readonly models: ModelSet;
  readonly sample: ReferenceSample;
  /** Medians and modes of the reference sample. */
  typical(): Applicant;
  /** The first `limit` golden applicants of the champion's package. */
  golden(limit?: number): Promise<GoldenApplicant[]>;
  /** Validates a raw applicant with the champion's schema; ExplainInputError lists every issue. */
  check(raw: unknown): Applicant;
  compare(applicant: Applicant): Promise<ModelAnswer[]>;
  sensitivity(
    applicant: Applicant,
    field: string,
    options?: { points?: number; roles?: readonly ModelRole[] },
  ): Promise<SensitivityCurve>;
  flips(applicant: Applicant, role?: ModelRole): Promise<FlipResult & { role: ModelRole }>;
  reasons(
    applicant: Applicant,
    options?: { role?: ModelRole; evaluations?: number; permutations?: number; seed?: number },
  ): Promise<ShapleyResult & { role: ModelRole; threshold: number }>;
  close(): Promise<void>;
}

export async function openExplainer(options: ModelSetOptions = {}): Promise<Explainer> {
  const models = await openModelSet(options);
  const champion = models.member('champion')!;
  let sample: ReferenceSample;
  try {
    sample = await readReferenceSample(join(champion.dir, PACKAGE_FILES.sample), models.schema);
  } catch (error) {
    await models.close();
    throw error;
  }
  const schema = models.schema;
  const bases = new Map<ModelRole, Promise<{ mean: number; order: Uint32Array }>>();
  // E[f] over the whole reference sample, and the sample ordered by f (the strata of the background draws).
  const baseValue = (role: ModelRole) => {
    let base = bases.get(role);
    if (!base) {
      base = models.probabilities(role, sample.rows).then((p) => ({
        mean: p.reduce((a, b) => a + b, 0) / p.length,
        order: Uint32Array.from(p.keys()).sort((a, b) => p[a]! - p[b]!),
      }));
      base.catch(() => bases.delete(role));
      bases.set(role, base);
    }
    return base;
  };
  const memberOrFail = (role: ModelRole) => {
    const member = models.member(role);
    if (!member) throw new ExplainInputError(`the registry has no ${role} model`);
    return member;
  };
  const probabilityFn =
    (role: ModelRole): ProbabilityFn =>
    (rows) =>
      models.probabilities(role, rows);
  let typical: Applicant | null = null;

  return {
    models,
    sample,
    typical: () => (typical ??= typicalApplicant(sample, schema)),
    async golden(limit = 20) {
      const text = await readFile(join(champion.dir, PACKAGE_FILES.golden), 'utf8');
      const found: GoldenApplicant[] = [];
      for (const line of text.split('\n')) {
        if (found.length >= limit || line.trim() === '') continue;
        const record = JSON.parse(line) as { input?: unknown };
        const checked = schema.validate(record.input ?? record);
        if (!checked.ok) continue;
        found.push({
          label: `Golden #${found.length + 1} (SK_ID_CURR ${checked.value.SK_ID_CURR})`,
          applicant: checked.value,
        });
      }
      return found;
    },
    check(raw) {
      const checked = schema.validate(raw);
      if (!checked.ok) throw new ExplainInputError(checked.issues.map((i) => i.message).join('; '));
      return checked.value;
    },
    async compare(applicant) {
      return Promise.all(
        models.members.map(async (member) => {
          const [result] = await models.score(member.role, [applicant]);
          return {
            role: member.role,
            name: result!.model.name,
            version: result!.model.version,
            probability: result!.probability,
            decision: result!.decision,
            threshold: result!.threshold,
            servedBy:
              member.role === 'champion'
                ? result!.served_by
                : result!.served_by === 'champion'
                  ? member.role
                  : result!.served_by,
            degraded: result!.degraded,
          };
        }),
      );
    },
    sensitivity: (applicant, field, opts = {}) =>
      sensitivity(models, applicant, field, { ...opts, sorted: sample.sorted }),
    async flips(applicant, role = 'champion') {
      const member = memberOrFail(role);
      const fields = schema.fields.filter((f) => member.inputs.has(f.name));
      const result = await findFlips(probabilityFn(role), applicant, {
        threshold: member.threshold,
        fields,
        sorted: sample.sorted,
      });
      return { ...result, role };
    },
    async reasons(applicant, opts = {}) {
      const role = opts.role ?? 'champion';
      const member = memberOrFail(role);
      const base = await baseValue(role);
      const result = await shapley(probabilityFn(role), applicant, {
        fields: schema.fields,
        inputs: member.inputs,
        background: sample.rows,
        baseValue: base.mean,
        backgroundOrder: base.order,
        evaluations: opts.evaluations,
        permutations: opts.permutations,
        seed: opts.seed,
      });
      return { ...result, role, threshold: member.threshold };
    },
    close: () => models.close(),
  };
}

export { MODEL_ROLES };
