import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { bundledModule, spawnWorker, useWorkerBundles } from '../../../core/runtime/index.ts';

// Bundles are made of project files only: the fixtures live in the project's ignored var/ folder.
mkdirSync('var', { recursive: true });
const dir = mkdtempSync(join(process.cwd(), 'var', 'worker-bundle-'));
const CACHE = join('node_modules', '.cache', 'vigie', 'workers');

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  // The bundles of these fixtures go too (their folder's name is new every run).
  const fixtures = relative(process.cwd(), dir);
  for (const name of readdirSync(CACHE).filter((n) => n.endsWith('.json'))) {
    const manifest = JSON.parse(readFileSync(join(CACHE, name), 'utf8')) as { inputs: string[] };
    if (!manifest.inputs.some((input) => input.startsWith(fixtures))) continue;
    rmSync(join(CACHE, name), { force: true });
    rmSync(join(CACHE, name.replace(/\.json$/, '.mjs')), { force: true });
  }
});

function write(name: string, text: string): URL {
  const path = join(dir, name);
  writeFileSync(path, text);
  return pathToFileURL(path);
}

it('bundles a TypeScript module with its imports into one module that runs without tsx', async () => {
  write('dep.ts', 'export const answer: number = 41;\n');
  const entry = write(
    'entry.ts',
    "import { answer } from './dep.ts';\nexport const value = (): number => answer + 1;\n",
  );
  const bundle = bundledModule(entry);
  expect(bundle?.pathname.endsWith('.mjs')).toBe(true);
  const module = (await import(`${bundle!.href}?first`)) as { value: () => number };
  expect(module.value()).toBe(42);
});

it('rebuilds the bundle when one of its source files changes', async () => {
  write('dep.ts', 'export const answer: number = 99;\n');
  const bundle = bundledModule(pathToFileURL(join(dir, 'entry.ts')));
  const module = (await import(`${bundle!.href}?second`)) as { value: () => number };
  expect(module.value()).toBe(100);
});

it('leaves a module that reads import.meta, or lies outside the project, to tsx', () => {
  const located = write('located.ts', 'export const here = import.meta.url;\n');
  expect(bundledModule(located)).toBeNull();
  const outside = mkdtempSync(join(tmpdir(), 'vigie-outside-'));
  try {
    writeFileSync(join(outside, 'x.ts'), 'export const x = 1;\n');
    expect(bundledModule(pathToFileURL(join(outside, 'x.ts')))).toBeNull();
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

it('with bundles off, every module runs through tsx', () => {
  const entry = pathToFileURL(join(dir, 'entry.ts'));
  useWorkerBundles(false);
  try {
    expect(bundledModule(entry)).toBeNull();
  } finally {
    useWorkerBundles(true);
  }
});

it('a worker started from its bundle and one started through tsx give the same answer', async () => {
  const entry = write(
    'worker.ts',
    "import { parentPort } from 'node:worker_threads';\nimport { answer } from './dep.ts';\n" +
      'parentPort!.postMessage({ answer });\n',
  );
  const answerOf = async (): Promise<unknown> => {
    const worker = spawnWorker(entry);
    try {
      return await new Promise((resolve, reject) => {
        worker.once('message', (message: { answer: number }) => resolve(message.answer));
        worker.once('error', reject);
      });
    } finally {
      await worker.terminate();
    }
  };
  expect(await answerOf()).toBe(99);
  useWorkerBundles(false);
  try {
    expect(await answerOf()).toBe(99);
  } finally {
    useWorkerBundles(true);
  }
});

it('builds the bundle again when its file was deleted but its manifest kept', async () => {
  const entry = write('lost.ts', 'export const lost = (): string => "found";\n');
  const bundle = bundledModule(entry)!;
  rmSync(bundle, { force: true });
  const again = bundledModule(entry);
  expect(again?.href).toBe(bundle.href);
  const module = (await import(`${again!.href}?again`)) as { lost: () => string };
  expect(module.lost()).toBe('found');
});
