/**
 * The desktop transport: the console API over Electron IPC. It depends on IpcMainLike, not on Electron, so it is
 * tested without the binary. Only the app's own page may call (sender check); the method must be on the allow-list
 * and the arguments are shape-checked here before the backend parses them against the method's schema.
 */
import { ConsoleError } from '../../../console-api/errors.ts';
import { METHOD_NAMES, type CallResult, type ConsoleEvent } from '../../../console-api/types.ts';
import type { ConsoleCaller } from './http-adapter.ts';

export const IPC_CALL = 'vigie:call';
export const IPC_EVENT = 'vigie:event';

export interface IpcInvokeEventLike {
  senderFrame: { url: string } | null;
  sender: { id: number };
}

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown> | unknown,
  ): void;
  removeHandler(channel: string): void;
}

export interface WebContentsLike {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

export interface IpcAdapterOptions {
  /** True for the app's own page (its frame URL starts with the app's origin); anything else is refused. */
  isTrustedSender(event: IpcInvokeEventLike): boolean;
  /** The windows that receive progress events. */
  targets(): WebContentsLike[];
}

const OPERATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function refuse(error: ConsoleError): CallResult<never> {
  return { ok: false, error: error.toBody() };
}

/** Registers the call channel and forwards backend events to the windows; returns a function that undoes both. */
export function registerConsoleIpc(
  ipcMain: IpcMainLike,
  caller: ConsoleCaller,
  options: IpcAdapterOptions,
): () => void {
  ipcMain.handle(IPC_CALL, async (event, method, input, operationId) => {
    if (!options.isTrustedSender(event)) {
      return refuse(new ConsoleError('FORBIDDEN_ORIGIN', `frame ${event.senderFrame?.url ?? 'unknown'}`));
    }
    if (typeof method !== 'string' || !(METHOD_NAMES as readonly string[]).includes(method)) {
      return refuse(new ConsoleError('UNKNOWN_METHOD', String(method).slice(0, 64)));
    }
    if (operationId !== undefined && (typeof operationId !== 'string' || !OPERATION_ID.test(operationId))) {
      return refuse(new ConsoleError('INVALID_INPUT', 'operationId has an invalid format'));
    }
    return caller.call(method, input === undefined ? {} : input, operationId as string | undefined);
  });
  const unsubscribe = caller.onEvent((event: ConsoleEvent) => {
    for (const target of options.targets()) if (!target.isDestroyed()) target.send(IPC_EVENT, event);
  });
  return () => {
    ipcMain.removeHandler(IPC_CALL);
    unsubscribe();
  };
}
