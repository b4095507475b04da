/** A second "Load demo data" opens a separate demo store: the console says which store is open and goes back. */
import { expect, it } from 'vitest';
import type { MethodOutput } from '../../../console-api/types.ts';
import { createDispatcher } from '../../../electron/backend/api/dispatch.ts';
import { METHODS } from '../../../electron/backend/api/methods.ts';
import { useConsoleServices } from '../../helpers/console-services.ts';
import { writeLogFile } from '../helpers.ts';

const ctx = useConsoleServices();

it("names the demo store it opened beside the user's own, and goes back to the user's store", async () => {
  const api = createDispatcher(METHODS, ctx.services, () => undefined);
  const sources = async () => {
    const result = await api.call('l', 'listSources', {});
    if (!result.ok) throw new Error(result.error.message);
    return result.value as MethodOutput<'listSources'>;
  };
  await api.call('i', 'importFiles', { paths: [writeLogFile(ctx.fixture.dir, 'mine.jsonl', 40)] });
  expect((await sources()).store).toEqual({ name: 'store.sqlite', demo: false, home: null });
  const demo = await api.call('d', 'loadDemoData', { days: 1 });
  expect(demo.ok).toBe(true);
  const inDemo = await sources();
  expect(inDemo.store).toMatchObject({
    demo: true,
    home: 'store.sqlite',
    name: expect.stringMatching(/^vigie-demo-\d+\.sqlite$/),
  });
  expect(inDemo.records).toBeGreaterThan(40);
  expect(await api.call('b', 'returnToStore', {})).toEqual({ ok: true, value: { name: 'store.sqlite' } });
  const back = await sources();
  expect(back.store.demo).toBe(false);
  expect(back.records).toBe(40);
}, 120_000);
