/**
 * The What-if page's methods: the form's schema and starting points, the three models' answers, sensitivity, what
 * flips the decision and the reasons. All of it is `core/explain`, loaded once per backend on first use.
 */
import type { Applicant } from '../../../core/contract/index.ts';
import { openExplainer, topReasons, type Explainer } from '../../../core/explain/index.ts';
import { ConsoleError } from '../../../console-api/errors.ts';
import type { MethodInput, MethodOutput } from '../../../console-api/types.ts';
import type { Services } from '../services.ts';

const explainers = new WeakMap<Services, Promise<Explainer>>();

export function explainerOf(services: Services): Promise<Explainer> {
  let explainer = explainers.get(services);
  if (!explainer) {
    // Two workers per model: a field change is scored on one while an explanation still runs on the other.
    explainer = openExplainer({ modelsDir: services.config.modelsDir, workers: 2 }).catch((error: unknown) => {
      explainers.delete(services);
      throw new ConsoleError('MODEL_UNAVAILABLE', (error as Error).message.split('\n')[0] ?? 'unknown error');
    });
    explainers.set(services, explainer);
    services.closing.push(async () => (await explainer!.catch(() => null))?.close());
  }
  return explainer;
}

/** Validates with the champion's schema; the issues travel with the error so the form marks each field. */
export function checkApplicant(explainer: Explainer, raw: unknown): Applicant {
  const checked = explainer.models.schema.validate(raw);
  if (checked.ok) return checked.value;
  throw new ConsoleError(
    'APPLICANT_INVALID',
    checked.issues.map((i) => i.message).join('; '),
    checked.issues.map((i) => ({ path: i.path, code: 'not_allowed', message: i.message })),
  );
}

export async function whatIfSetup(services: Services): Promise<MethodOutput<'whatIfSetup'>> {
  const explainer = await explainerOf(services);
  return {
    schema: explainer.models.schema.document,
    typical: explainer.typical(),
    golden: await explainer.golden(20),
    models: explainer.models.members.map((m) => ({
      role: m.role,
      name: m.name,
      version: m.version,
      kind: m.kind,
      threshold: m.threshold,
      inputs: [...m.inputs],
    })),
  };
}

export async function whatIfScore(
  services: Services,
  input: MethodInput<'whatIfScore'>,
): Promise<MethodOutput<'whatIfScore'>> {
  const explainer = await explainerOf(services);
  const started = performance.now();
  const answers = await explainer.compare(checkApplicant(explainer, input.applicant));
  return { answers, backendMs: performance.now() - started };
}

export async function whatIfSensitivity(
  services: Services,
  input: MethodInput<'whatIfSensitivity'>,
): Promise<MethodOutput<'whatIfSensitivity'>> {
  const explainer = await explainerOf(services);
  const applicant = checkApplicant(explainer, input.applicant);
  if (!explainer.models.schema.fieldsByName.has(input.field)) {
    throw new ConsoleError('INVALID_INPUT', `the input schema has no field "${input.field.slice(0, 64)}"`);
  }
  return explainer.sensitivity(applicant, input.field, { points: input.points ?? 100 });
}

function memberOrFail(explainer: Explainer, role: MethodInput<'whatIfFlips'>['role']) {
  if (role && !explainer.models.member(role))
    throw new ConsoleError('MODEL_UNAVAILABLE', `the registry has no ${role}`);
}

export async function whatIfFlips(
  services: Services,
  input: MethodInput<'whatIfFlips'>,
): Promise<MethodOutput<'whatIfFlips'>> {
  const explainer = await explainerOf(services);
  memberOrFail(explainer, input.role);
  return explainer.flips(checkApplicant(explainer, input.applicant), input.role);
}

export async function whatIfReasons(
  services: Services,
  input: MethodInput<'whatIfReasons'>,
): Promise<MethodOutput<'whatIfReasons'>> {
  const explainer = await explainerOf(services);
  memberOrFail(explainer, input.role);
  const result = await explainer.reasons(checkApplicant(explainer, input.applicant), {
    role: input.role,
    evaluations: input.evaluations ?? 2048,
    seed: input.seed,
  });
  return { ...result, words: topReasons(result.contributions, 5) };
}
