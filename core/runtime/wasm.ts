/**
 * WebAssembly modules embedded as base64 (scripts/build-wasm.mjs): compiled once per thread, instantiated per user.
 * The Node typings here declare no WebAssembly values, so this names the part of the API Vigie uses.
 */

export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

const { WebAssembly: wasmApi } = globalThis as unknown as {
  WebAssembly: {
    Module: new (bytes: Uint8Array) => object;
    Instance: new (module: object, imports: object) => { exports: unknown };
  };
};

const compiled = new Map<string, object>();

/**
 * An instance of the module whose bytes are `base64`, with `imports` (`env.abort` is given when missing). `agreed`
 * names the constants the caller shares with the module: an exported global of another value (a module built from
 * another source) throws, naming it.
 */
export function instantiateWasm<T>(
  base64: string,
  options: { imports?: Record<string, unknown>; agreed?: Record<string, number>; name?: string } = {},
): T {
  let module = compiled.get(base64);
  if (!module) {
    module = new wasmApi.Module(Buffer.from(base64, 'base64'));
    compiled.set(base64, module);
  }
  const abort = (): never => {
    throw new Error('a WebAssembly module stopped');
  };
  const exports = new wasmApi.Instance(module, { env: { abort, ...options.imports } }).exports as Record<
    string,
    { value?: unknown } | undefined
  >;
  for (const [constant, value] of Object.entries(options.agreed ?? {})) {
    if (exports[constant]?.value !== value) {
      throw new Error(`the ${options.name ?? 'WebAssembly'} module disagrees on ${constant}`);
    }
  }
  return exports as T;
}
