/** What `vigie explain` and `vigie sensitivity` share: reading the applicant and opening the explainer. */
import { readFile } from 'node:fs/promises';
import { openExplainer, type Explainer, type ModelRole } from '../../core/explain/index.ts';
import type { Applicant } from '../../core/contract/index.ts';
import { CliError } from '../errors.ts';

export interface ExplainModelFlags {
  modelsDir: string;
  model?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The applicant of a JSON file (or `-`, stdin): an applicant object, or a record with an `input` field. */
export async function readApplicantText(file: string): Promise<unknown> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch {
    throw new CliError(`applicant file ${file} does not exist or cannot be read`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && 'input' in parsed
      ? (parsed as { input: unknown }).input
      : parsed;
  } catch (error) {
    throw new CliError(`${file === '-' ? 'stdin' : file} is not valid JSON (${(error as Error).message})`);
  }
}

export async function loadExplainer(flags: ExplainModelFlags, roles?: readonly ModelRole[]): Promise<Explainer> {
  try {
    return await openExplainer({
      modelsDir: flags.modelsDir,
      roles: flags.model !== undefined ? ['champion'] : roles,
      refs: flags.model !== undefined ? { champion: flags.model } : undefined,
    });
  } catch (error) {
    throw new CliError(`cannot load the models: ${(error as Error).message.split('\n')[0]}`);
  }
}

export function checkedApplicant(explainer: Explainer, raw: unknown): Applicant {
  const checked = explainer.models.schema.validate(raw);
  if (checked.ok) return checked.value;
  throw new CliError(`the applicant is not valid: ${checked.issues.map((i) => i.message).join('; ')}`);
}

export const pct = (share: number, digits = 2) => `${(share * 100).toFixed(digits)} %`;
