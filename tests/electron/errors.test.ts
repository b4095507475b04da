import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONSOLE_ERRORS } from '../../console-api/errors.ts';

describe('console error catalogue', () => {
  it('matches the table of docs/console.md code for code and status for status', () => {
    const readme = readFileSync(new URL('../../docs/console.md', import.meta.url), 'utf8');
    const start = readme.indexOf('## Console API errors');
    const next = readme.indexOf('\n#', start + 1);
    const section = readme.slice(start, next === -1 ? undefined : next);
    const table = [...section.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(table).toEqual(Object.entries(CONSOLE_ERRORS).map(([code, entry]) => [code, entry.status]));
  });

  it('says what to do in every message, in plain words', () => {
    for (const entry of Object.values(CONSOLE_ERRORS)) expect(entry.message).toMatch(/^[A-Z].*\.$/);
  });
});
