/**
 * The console backend over a temporary folder for each test: `useConsoleServices()` registers the beforeEach that
 * opens a fresh store and services and the afterEach that closes them and removes the folder.
 */
import { afterEach, beforeEach } from 'vitest';
import { createServices, type Services } from '../../electron/backend/services.ts';
import { tempConsole } from '../electron/helpers.ts';

export interface ConsoleServices {
  /** The temporary folder, its backend config and its cleanup (valid inside a test). */
  readonly fixture: ReturnType<typeof tempConsole>;
  /** The backend services over that folder's store (valid inside a test). */
  readonly services: Services;
}

export function useConsoleServices(): ConsoleServices {
  let fixture: ReturnType<typeof tempConsole> | null = null;
  let services: Services | null = null;
  beforeEach(() => {
    fixture = tempConsole();
    services = createServices(fixture.config, null, () => undefined);
  });
  afterEach(() => {
    services?.close();
    fixture?.cleanup();
    services = null;
    fixture = null;
  });
  const outside = (): never => {
    throw new Error('useConsoleServices: used outside a test');
  };
  return {
    get fixture() {
      return fixture ?? outside();
    },
    get services() {
      return services ?? outside();
    },
  };
}
