/** Remembers the window's size, position and maximised state between launches. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

const DEFAULT_STATE: WindowState = { width: 1360, height: 880, maximized: false };

export function readWindowState(file: string): WindowState {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
    const size = (v: unknown, min: number) => (typeof v === 'number' && Number.isFinite(v) && v >= min ? v : undefined);
    return {
      ...(size(saved.x, -10_000) !== undefined ? { x: saved.x! } : {}),
      ...(size(saved.y, -10_000) !== undefined ? { y: saved.y! } : {}),
      width: size(saved.width, 640) ?? DEFAULT_STATE.width,
      height: size(saved.height, 480) ?? DEFAULT_STATE.height,
      maximized: saved.maximized === true,
    };
  } catch {
    return { ...DEFAULT_STATE };
  }
}

export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state)}\n`);
}
