/** Settings and cancellation. */
import type { MethodContext } from '../api/method-table.ts';
import type { MethodInput, MethodOutput } from '../../../console-api/types.ts';
import type { Services } from '../services.ts';

export const getSettings = (services: Services): MethodOutput<'getSettings'> => services.settings.get();

export const setSettings = (
  services: Services,
  input: MethodInput<'setSettings'>,
): Promise<MethodOutput<'setSettings'>> => services.settings.set(input);

export function cancel(
  _services: Services,
  input: MethodInput<'cancel'>,
  context: MethodContext,
): MethodOutput<'cancel'> {
  return { cancelled: context.cancel(input.operationId) };
}
