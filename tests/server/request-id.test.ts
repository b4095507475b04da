import { expect, it } from 'vitest';
import { uuidv7 } from '../../server/request-id.ts';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msOf = (id: string) => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

it('makes RFC 9562 version 7 ids that carry the time they were made', () => {
  const before = Date.now();
  const id = uuidv7();
  expect(id).toMatch(V7);
  expect(msOf(id)).toBeGreaterThanOrEqual(before);
  expect(msOf(id)).toBeLessThanOrEqual(Date.now());
  expect(msOf(uuidv7(Date.UTC(2030, 0, 1)))).toBe(Date.UTC(2030, 0, 1));
});

it('sorts ids in the order they were made, many in one millisecond and with the clock going back', () => {
  const now = Date.UTC(2031, 5, 1);
  const ids = Array.from({ length: 20_000 }, (_, i) => uuidv7(now + (i % 7 === 0 ? -5 : 0)));
  for (const id of ids) expect(id).toMatch(V7);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(ids);
});
