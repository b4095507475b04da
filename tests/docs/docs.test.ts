/**
 * The guide's promises, checked: every relative link of README.md and docs/ leads to a file, and every command the
 * README and the console tour give exists (npm scripts in package.json, `vigie` sub-commands with the options they
 * use). The API calls they show (`/ready`, `POST /v1/score`) run in scripts/container-check.sh.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
// Pages the other branches of this release write (the lead merges them); a link to them may precede the page.
const WRITTEN_ELSEWHERE = [
  'docs/what-if.md',
  'docs/profiling.md',
  'docs/challenger.md',
  'docs/performance.md',
  'docs/alerts.md',
];

function markdownFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.md') ? [join(dir, entry.name)] : [],
    );
  return ['README.md', ...walk('docs')];
}

function codeLines(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].flatMap((block) =>
    block[1]!.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()),
  );
}

describe('the documentation', () => {
  it('links only to files that exist', () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:|#)/.test(target!)) continue;
        const path = join(dirname(file), target!.split('#')[0]!);
        if (path.startsWith('..')) continue; // ../shared/, beside the repository
        if (!existsSync(join(ROOT, path)) && !WRITTEN_ELSEWHERE.includes(path)) broken.push(`${file} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('has the README short, with a screenshot of the console and links to the guide pages', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThan(100);
    expect(readme).toMatch(/!\[[^\]]+\]\(docs\/images\/console-overview\.png\)/);
    for (const page of ['api', 'console', 'monitoring', 'cli', 'operations', 'decisions/README']) {
      expect(readme).toContain(`(docs/${page}.md)`);
    }
  });

  it('gives only npm scripts that package.json defines', () => {
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    const missing: string[] = [];
    for (const file of ['README.md', 'docs/console.md', 'docs/operations.md', 'docs/development.md', 'docs/api.md']) {
      for (const line of codeLines(file)) {
        const match = /^npm (?:run(?: -s)? ([\w:-]+)|(start|test))\b/.exec(line);
        const name = match?.[1] ?? match?.[2];
        if (name && !(name in scripts)) missing.push(`${file}: ${line}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('gives only vigie commands and options the CLI accepts', () => {
    const problems: string[] = [];
    const help = new Map<string, string>();
    let checked = 0;
    for (const file of ['README.md', 'docs/console.md']) {
      for (const line of codeLines(file)) {
        const match =
          /(?:^|npm run -s vigie -- |node bin\/vigie\.js )(?:vigie )?(console|api|ingest|pull|drift|report|score|models|simulate|bench)\b(.*)$/.exec(
            line.startsWith('npm run -s vigie -- ') ||
              line.startsWith('vigie ') ||
              line.startsWith('node bin/vigie.js ')
              ? line
              : '',
          );
        if (!match) continue;
        checked++;
        const command = match[1]!;
        if (!help.has(command)) {
          const result = spawnSync(process.execPath, ['bin/vigie.js', command, '--help'], {
            cwd: ROOT,
            encoding: 'utf8',
          });
          help.set(command, result.status === 0 ? result.stdout : '');
        }
        const text = help.get(command)!;
        if (text === '') problems.push(`${file}: vigie ${command} has no --help`);
        for (const [option] of match[2]!.matchAll(/--[a-z][a-z-]*/g)) {
          if (!text.includes(option)) problems.push(`${file}: vigie ${command} has no ${option}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });
});
