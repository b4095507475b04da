/**
 * Reads and checks a model package directory (CONTRACT.md section 2): `MLmodel`, `model.onnx`, `input_schema.json`,
 * `reference/profile.json`, `reference/sample.csv.gz`, `metrics.json`, `golden.jsonl`.
 * A broken package fails with a PackageError naming the file and the cause.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { compileInputSchema, type InputSchema } from './input-schema.ts';
import { isPlainObject } from './plain-object.ts';
import { parseReferenceProfile, ProfileError, type ReferenceProfile } from './reference-profile.ts';

export const PACKAGE_FILES = {
  mlmodel: 'MLmodel',
  onnx: 'model.onnx',
  inputSchema: 'input_schema.json',
  profile: 'reference/profile.json',
  sample: 'reference/sample.csv.gz',
  metrics: 'metrics.json',
  golden: 'golden.jsonl',
} as const;

/** How the probability of default is read from the graph's output. */
export interface OutputSpec {
  /** Output tensor name. */
  name: string;
  /** `[N]`: the probability of class 1; `[N,2]`: class probabilities, column `classIndex` is class 1. */
  layout: '[N]' | '[N,2]';
  classIndex: number;
}

export interface ModelPackage {
  dir: string;
  name: string;
  version: string;
  /** Model family, e.g. lightgbm, logistic_regression, lightgbm_tensorized. */
  kind: string;
  /** Probability at or above which the decision is "refuse". */
  threshold: number;
  output: OutputSpec;
  schema: InputSchema;
  /** The whole MLmodel document (MLflow layout). */
  mlmodel: Record<string, unknown>;
  metadata: Record<string, unknown>;
  files: { [K in keyof typeof PACKAGE_FILES]: string };
  /** `reference/profile.json`, parsed and checked once here (NaN `rows` when the profile does not say). */
  profile: ReferenceProfile;
}

export class PackageError extends Error {
  readonly file: string;
  constructor(file: string, cause: string) {
    super(`${file}: ${cause}`);
    this.name = 'PackageError';
    this.file = file;
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PackageError(file, code === 'ENOENT' ? 'file is missing' : `cannot be read (${code ?? String(error)})`);
  }
}

async function readJson(file: string): Promise<unknown> {
  const text = await readText(file);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PackageError(file, `is not valid JSON (${(error as Error).message})`);
  }
}

async function requireFile(file: string): Promise<void> {
  try {
    const info = await stat(file);
    if (!info.isFile() || info.size === 0) throw new PackageError(file, 'is empty or not a file');
  } catch (error) {
    if (error instanceof PackageError) throw error;
    throw new PackageError(file, 'file is missing');
  }
}

function parseOutput(metadata: Record<string, unknown>, file: string): OutputSpec {
  const output = metadata.output;
  if (!isPlainObject(output) || typeof output.name !== 'string') {
    throw new PackageError(file, 'metadata.output must give the output tensor "name" and its "layout"');
  }
  const layout = output.layout;
  if (layout !== '[N]' && layout !== '[N,2]')
    throw new PackageError(file, 'metadata.output.layout must be "[N]" or "[N,2]"');
  const classIndex = output.class_index ?? 1;
  if (classIndex !== 0 && classIndex !== 1) throw new PackageError(file, 'metadata.output.class_index must be 0 or 1');
  return { name: output.name, layout, classIndex };
}

/** Loads a package's descriptive files and checks the artifacts exist; does not open the ONNX model. */
export async function loadModelPackage(dir: string): Promise<ModelPackage> {
  const root = path.resolve(dir);
  const files = Object.fromEntries(
    Object.entries(PACKAGE_FILES).map(([key, name]) => [key, path.join(root, name)]),
  ) as ModelPackage['files'];

  let mlmodel: unknown;
  // Loaded here, not with this module: every command imports the contract, few read a package (yaml takes 40–80 ms).
  const { parse: parseYaml } = await import('yaml');
  try {
    mlmodel = parseYaml(await readText(files.mlmodel));
  } catch (error) {
    if (error instanceof PackageError) throw error;
    throw new PackageError(files.mlmodel, `is not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  if (!isPlainObject(mlmodel)) throw new PackageError(files.mlmodel, 'must be a YAML mapping');
  if (!isPlainObject(mlmodel.flavors) || !isPlainObject(mlmodel.flavors.onnx)) {
    throw new PackageError(files.mlmodel, 'has no flavors.onnx section');
  }
  const metadata = mlmodel.metadata;
  if (!isPlainObject(metadata)) throw new PackageError(files.mlmodel, 'has no metadata section');
  const threshold = metadata.threshold;
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold < 1)) {
    throw new PackageError(files.mlmodel, 'metadata.threshold must be a number between 0 and 1');
  }
  if (typeof metadata.name !== 'string' || metadata.name === '')
    throw new PackageError(files.mlmodel, 'metadata.name is missing');
  if (metadata.version === undefined || metadata.version === null) {
    throw new PackageError(files.mlmodel, 'metadata.version is missing');
  }
  const output = parseOutput(metadata, files.mlmodel);

  let schema: InputSchema;
  const schemaDocument = await readJson(files.inputSchema);
  try {
    schema = compileInputSchema(schemaDocument);
  } catch (error) {
    throw new PackageError(files.inputSchema, (error as Error).message);
  }
  await Promise.all([files.onnx, files.profile, files.sample, files.metrics, files.golden].map(requireFile));
  let profile: ReferenceProfile;
  try {
    profile = parseReferenceProfile(await readJson(files.profile));
  } catch (error) {
    if (error instanceof ProfileError) throw new PackageError(files.profile, error.message);
    throw error;
  }

  return {
    dir: root,
    name: metadata.name,
    version: String(metadata.version),
    kind: typeof metadata.kind === 'string' ? metadata.kind : 'unknown',
    threshold,
    output,
    schema,
    mlmodel,
    metadata,
    files,
    profile,
  };
}
