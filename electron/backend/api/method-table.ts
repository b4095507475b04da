/** The shape of one console API method: its input schema, whether it streams progress, and its handler. */
import type { Parser } from '../../../console-api/schema.ts';
import type { ConsoleEvent, MethodInput, MethodName, MethodOutput } from '../../../console-api/types.ts';

export interface MethodContext {
  operationId: string;
  signal: AbortSignal;
  /** Streams progress of a long operation to every client. */
  progress(fraction: number | null, message: string, counts?: Record<string, number>): void;
  /** Aborts another running operation; false when none has that id. */
  cancel(operationId: string): boolean;
}

export interface MethodDef<M extends MethodName, S> {
  input: Parser<MethodInput<M>>;
  /** Long operations stream progress and can be cancelled; only one of each runs at a time. */
  streaming: boolean;
  handler(services: S, input: MethodInput<M>, context: MethodContext): Promise<MethodOutput<M>> | MethodOutput<M>;
}

export type MethodTable<S> = { [M in MethodName]: MethodDef<M, S> };

export type EventSink = (event: ConsoleEvent) => void;
