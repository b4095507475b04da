/** The machine a profiling run measured on, saved beside its figures: they mean nothing without it. */
import { createRequire } from 'node:module';
import os from 'node:os';
import type { MachineInfo } from './types.ts';

function onnxruntimeVersion(): string {
  try {
    return (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  const load = os.loadavg();
  return {
    cpu_model: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memory_gb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    load_average: [load[0]!, load[1]!, load[2]!].map((value) => Math.round(value * 100) / 100) as [
      number,
      number,
      number,
    ],
    platform: `${process.platform}/${process.arch}`,
    node: process.version,
    onnxruntime: onnxruntimeVersion(),
    hostname: os.hostname(),
  };
}
