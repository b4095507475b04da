/**
 * Worker threads started from ready JavaScript instead of through tsx (docs/decisions/1615-bundled-worker-entries.md).
 * A worker that registers tsx spends about 130 ms of wall time and 250 ms of CPU compiling its module graph before
 * its first line of work, on every start; an import pays that for each of its reader threads. Here a `.ts` worker
 * entry is bundled once by esbuild (the compiler tsx itself runs) into one ES module under
 * node_modules/.cache/vigie/workers/, with the packages left as imports, and is rebuilt when any of its source files
 * changes (their contents are hashed, so an edit is never missed). A graph that reads `import.meta` (a path relative
 * to its own module) would see the bundle's location instead, so it is never bundled; nor is anything when the cache
 * cannot be written or esbuild is missing: those workers run through tsx as before.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The project's folder: the nearest one above this module holding Vigie's package.json. Found by walking up, so it is
 * the same whether this module runs from core/runtime/ or from inside a bundle in node_modules/.cache/.
 */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'vigie')
        return dir;
    } catch {
      // No package.json here.
    }
    const parent = dirname(dir);
    if (parent === dir) return fileURLToPath(new URL('../../', import.meta.url));
    dir = parent;
  }
}
const ROOT = projectRoot();
/** Modules that read `import.meta` only for what is the same from a bundle (a package, the project's folder). */
const LOCATION_FREE = new Set(['core/runtime/spawn-worker.ts', 'core/runtime/worker-bundle.ts']);
const CACHE = join(ROOT, 'node_modules', '.cache', 'vigie', 'workers');

interface Manifest {
  esbuild: string;
  /** The bundle's source files, relative to the project root. */
  inputs: string[];
  /** sha256 of the inputs' contents, in that order. */
  digest: string;
  /** False: the graph reads import.meta, so it runs through tsx (no bundle written). */
  bundled: boolean;
}

interface Esbuild {
  version: string;
  buildSync(options: Record<string, unknown>): {
    outputFiles?: Array<{ text: string }>;
    metafile?: { inputs: Record<string, unknown> };
  };
}

let esbuild: Esbuild | null | undefined;
function loadEsbuild(): Esbuild | null {
  if (esbuild === undefined) {
    try {
      esbuild = createRequire(import.meta.url)('esbuild') as Esbuild;
    } catch {
      esbuild = null;
    }
  }
  return esbuild;
}

/** The sources of `inputs` (paths relative to the project), or null when one is gone. */
function sourcesOf(inputs: readonly string[]): Buffer[] | null {
  try {
    return inputs.map((input) => readFileSync(join(ROOT, input)));
  } catch {
    return null; // A source file is gone: rebuild.
  }
}

function digestOf(inputs: readonly string[], sources: readonly Buffer[]): string {
  const hash = createHash('sha256');
  inputs.forEach((input, i) => hash.update(input).update('\0').update(sources[i]!).update('\0'));
  return hash.digest('hex');
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

function build(entry: string, bundle: string, manifestPath: string, compiler: Esbuild): URL | null {
  const result = compiler.buildSync({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  const text = result.outputFiles?.[0]?.text;
  if (text === undefined || !result.metafile) return null;
  const inputs = Object.keys(result.metafile.inputs).sort();
  const sources = sourcesOf(inputs);
  if (sources === null) return null;
  const digest = digestOf(inputs, sources);
  // A module that finds files beside itself must run where it is.
  const located = (input: string, i: number): boolean =>
    input.startsWith('..') || (!LOCATION_FREE.has(input) && /\bimport\.meta\b/.test(sources[i]!.toString('utf8')));
  const bundled = !inputs.some(located);
  if (bundled) writeAtomically(bundle, text);
  const manifest: Manifest = { esbuild: compiler.version, inputs, digest, bundled };
  writeAtomically(manifestPath, JSON.stringify(manifest));
  return bundled ? pathToFileURL(bundle) : null;
}

function find(entry: string): URL | null {
  const compiler = loadEsbuild();
  if (!compiler) return null;
  const name = relative(ROOT, entry);
  if (name.startsWith('..')) return null;
  const key = createHash('sha256').update(name).digest('hex').slice(0, 12);
  const stem = `${basename(entry, '.ts')}-${key}`;
  const bundle = join(CACHE, `${stem}.mjs`);
  const manifestPath = join(CACHE, `${stem}.json`);
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    const sources = manifest.esbuild === compiler.version ? sourcesOf(manifest.inputs) : null;
    const fresh = sources !== null && manifest.digest === digestOf(manifest.inputs, sources);
    // A manifest whose bundle was deleted on its own (a partly cleaned cache) is stale too.
    if (fresh && !manifest.bundled) return null;
    if (fresh && existsSync(bundle)) return pathToFileURL(bundle);
  } catch {
    // No bundle yet, or a damaged manifest: build.
  }
  mkdirSync(CACHE, { recursive: true });
  return build(entry, bundle, manifestPath, compiler);
}

let enabled = true;

/**
 * A module of the project by its path from the project's folder, for a worker entry named by a module that may itself
 * run from a bundle (where `new URL('./x.ts', import.meta.url)` would point into the cache).
 */
export function projectModule(path: string): URL {
  return pathToFileURL(join(ROOT, path));
}

/** Whether workers start from bundles (the default) or every one through tsx (to compare the two). */
export function useWorkerBundles(on: boolean): void {
  enabled = on;
}

/**
 * The URL of a ready bundle of the `.ts` module at `entry`, built or rebuilt now when needed, or null when this
 * module must run through tsx (it reads `import.meta`, lies outside the project, or the cache cannot be written).
 */
export function bundledModule(entry: URL): URL | null {
  if (entry.protocol !== 'file:' || !entry.pathname.endsWith('.ts')) return null;
  if (!enabled) return null;
  try {
    return find(fileURLToPath(entry));
  } catch {
    return null;
  }
}
