/** Money per 1 000 predictions from measured seconds: CPU-seconds at the core-hour price, device time at the GPU's. */
import type { Prices } from './types.ts';

export interface CostInput {
  /** Measured CPU-seconds of the process (every thread) per prediction. */
  cpuSecondsPerPrediction: number;
  /** Wall seconds per prediction during which a GPU is held; 0 on CPU providers. */
  gpuSecondsPerPrediction?: number;
}

export function costPer1000(input: CostInput, prices: Prices): number {
  const cpu = (input.cpuSecondsPerPrediction * 1000 * prices.coreHour) / 3600;
  const gpu = ((input.gpuSecondsPerPrediction ?? 0) * 1000 * prices.gpuHour) / 3600;
  return cpu + gpu;
}
