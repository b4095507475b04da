/**
 * Decompresses a whole `.gz` log file in one call to libdeflate (the system's shared library, called through koffi),
 * where the machine has it: about three times zlib's speed on the API's logs
 * (docs/decisions/1619-libdeflate-for-whole-files.md). For reader threads only, which may block for the few
 * milliseconds a file takes. It takes a single gzip member that says its size, of at most MAX_WHOLE_BYTES, and
 * whose data is sound; for anything else (no libdeflate, several members, damaged data, a size the trailer does not
 * tell) it answers null, and the caller streams the file through zlib as before, which also delivers what a damaged
 * file holds before its damage.
 */
/** Larger files are streamed: two reader threads each hold one decompressed file. */
export const MAX_WHOLE_BYTES = 128 * 1024 * 1024;
const GZIP_HEADER_BYTES = 10;
const GZIP_TRAILER_BYTES = 8;

type Inflate = (input: Buffer, size: number) => Buffer | null;

/** libdeflate's name on each system koffi runs on. */
const LIBRARY: Record<string, string> = {
  linux: 'libdeflate.so.0',
  darwin: 'libdeflate.0.dylib',
  win32: 'libdeflate.dll',
  freebsd: 'libdeflate.so.0',
};

let inflate: Inflate | null = null;
let loading: Promise<boolean> | undefined;

async function load(): Promise<Inflate | null> {
  const name = LIBRARY[process.platform];
  if (!name) return null;
  try {
    // Imported when first needed, so that a system without koffi's binary still imports (through zlib).
    const koffi = (await import('koffi')).default;
    const lib = koffi.load(name);
    const alloc = lib.func('void *libdeflate_alloc_decompressor(void)');
    const decompress = lib.func(
      'int libdeflate_gzip_decompress_ex(void *decompressor, const uint8_t *input, size_t input_bytes, ' +
        'uint8_t *output, size_t output_room, _Out_ size_t *input_used, _Out_ size_t *output_made)',
    );
    // One decompressor per thread (this module's state is per thread), kept for the thread's life.
    const decompressor = alloc() as unknown;
    if (!decompressor) return null;
    const used = [0];
    const made = [0];
    // One output buffer, reused from file to file: fresh memory for each file cost a third of the decompression.
    let output = Buffer.alloc(0);
    return (input, size) => {
      if (output.length < size) output = Buffer.allocUnsafe(size);
      const result = decompress(decompressor, input, input.length, output, size, used, made) as number;
      // 0: success. Short of the whole input (another member follows) or of the size: let zlib read it.
      return result === 0 && used[0] === input.length && made[0] === size ? output.subarray(0, size) : null;
    };
  } catch {
    return null;
  }
}

/** Loads libdeflate on this thread, once; whether whole files are decompressed with it. */
export function loadWholeGunzip(): Promise<boolean> {
  loading ??= load().then((loaded) => {
    inflate = loaded;
    return loaded !== null;
  });
  return loading;
}

/**
 * The decompressed bytes of a whole gzip file, or null where the caller should stream it through zlib instead
 * (libdeflate not loaded by loadWholeGunzip, or the file is not one it takes). The bytes are this thread's buffer:
 * valid until its next call.
 */
export function gunzipWhole(input: Buffer): Buffer | null {
  if (input.length < GZIP_HEADER_BYTES + GZIP_TRAILER_BYTES || input[0] !== 0x1f || input[1] !== 0x8b) return null;
  // The trailer's size of the (last) member, modulo 2^32: a wrong guess fails the call, it cannot mislead it.
  const size = input.readUInt32LE(input.length - 4);
  if (size === 0 || size > MAX_WHOLE_BYTES) return null;
  return inflate === null ? null : inflate(input, size);
}
