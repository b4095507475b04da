/**
 * The execution providers this onnxruntime-node build offers here. Offered is not the same as "starts": a provider
 * can be offered and still fail to create a session (no GPU adapter, no CUDA libraries); run-profile.ts reports that
 * reason per cell instead of quietly measuring CPU.
 */
import ort from 'onnxruntime-node';
import type { ProviderInfo } from './types.ts';

/** Providers people ask about, whether or not this build has them, so the page can say which are missing. */
export const KNOWN_PROVIDERS = ['cpu', 'webgpu', 'cuda', 'tensorrt', 'dml', 'coreml', 'qnn'] as const;

export const GPU_PROVIDERS: ReadonlySet<string> = new Set(['webgpu', 'cuda', 'tensorrt', 'dml', 'coreml', 'qnn']);

export function listProviders(): ProviderInfo[] {
  let offered: Array<{ name: string; bundled: boolean }>;
  try {
    offered = ort.listSupportedBackends();
  } catch {
    offered = [{ name: 'cpu', bundled: true }];
  }
  const byName = new Map(offered.map((backend) => [backend.name, backend]));
  const names = [...new Set([...offered.map((backend) => backend.name), ...KNOWN_PROVIDERS])];
  return names.map((name) => ({
    name,
    offered: byName.has(name),
    bundled: byName.get(name)?.bundled ?? false,
  }));
}
