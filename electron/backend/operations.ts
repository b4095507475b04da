/** Running long operations by id, so any transport can cancel one while it streams progress. */
import { ConsoleError } from '../../console-api/errors.ts';

export class Operations {
  private readonly running = new Map<string, { method: string; controller: AbortController }>();

  start(operationId: string, method: string): AbortSignal {
    if (this.running.has(operationId)) throw new ConsoleError('BUSY', `Operation ${operationId}`);
    const controller = new AbortController();
    this.running.set(operationId, { method, controller });
    return controller.signal;
  }

  /** Only one of these methods may run at a time (two imports writing one store would only queue). */
  isRunning(method: string): boolean {
    for (const entry of this.running.values()) if (entry.method === method) return true;
    return false;
  }

  finish(operationId: string): void {
    this.running.delete(operationId);
  }

  cancel(operationId: string): boolean {
    const entry = this.running.get(operationId);
    if (!entry) return false;
    entry.controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const entry of this.running.values()) entry.controller.abort();
  }
}
