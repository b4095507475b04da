/** Named what-if scenarios, saved in the store; an applicant is validated with the champion's schema when saved. */
import { WhatIfTables } from '../../../db/what-if.ts';
import { ConsoleError } from '../../../console-api/errors.ts';
import type { MethodInput, MethodOutput, WhatIfApplicant } from '../../../console-api/types.ts';
import type { Services } from '../services.ts';
import { checkApplicant, explainerOf } from './what-if.ts';

function list(services: Services): MethodOutput<'listScenarios'> {
  return {
    scenarios: new WhatIfTables(services.store)
      .listScenarios()
      .map((s) => ({ ...s, applicant: s.applicant as WhatIfApplicant })),
  };
}

export function listScenarios(services: Services): MethodOutput<'listScenarios'> {
  return list(services);
}

export async function saveScenario(
  services: Services,
  input: MethodInput<'saveScenario'>,
): Promise<MethodOutput<'saveScenario'>> {
  const applicant = checkApplicant(await explainerOf(services), input.applicant);
  const name = input.name.trim();
  if (name === '') throw new ConsoleError('INVALID_INPUT', 'the scenario needs a name');
  new WhatIfTables(services.store).saveScenario(
    { name, applicant, origin: input.origin ?? '', note: input.note ?? '' },
    Date.now(),
  );
  return list(services);
}

export function deleteScenario(
  services: Services,
  input: MethodInput<'deleteScenario'>,
): MethodOutput<'deleteScenario'> {
  if (!new WhatIfTables(services.store).deleteScenario(input.name)) {
    throw new ConsoleError('SCENARIO_NOT_FOUND', input.name.slice(0, 80));
  }
  return list(services);
}
