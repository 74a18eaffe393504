import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../../shared/contract';
import { describeFsError } from '../../outputs';
import { decodeFloats, isSafetensorsDtype, SAFETENSORS_DTYPE_SIZES, type SafetensorsDtype } from './dtype';
import { refusePickleByContent, refusePickleByName } from './pickle-guard';

/** Real headers are a few hundred KB (SD 1.5 with EMA: ~250 KB); anything near this is hostile or broken. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;
/** Reads go through buffers of at most this size unless the caller asks for less. */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

export interface TensorInfo {
  readonly key: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly elements: number;
  /** Absolute byte range in the file. */
  readonly begin: number;
  readonly end: number;
}

/**
 * One open .safetensors file: the header is parsed and checked once; tensors are read on demand, in
 * bounded chunks, so a 4 GB checkpoint never has to fit in memory.
 */
export class SafetensorsFile {
  private constructor(
    readonly path: string,
    readonly size: number,
    readonly tensors: ReadonlyMap<string, TensorInfo>,
    readonly metadata: Readonly<Record<string, string>>,
    private readonly handle: fs.FileHandle,
  ) {}

  static async open(file: string): Promise<SafetensorsFile> {
    refusePickleByName(file);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, 'r');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new AppError(code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_INPUT', `Cannot open ${file}: ${describeFsError(err)}.`, { path: file });
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw invalid(file, 'it is not a regular file');
      const head = Buffer.alloc(9);
      const { bytesRead } = await handle.read(head, 0, 9, 0);
      refusePickleByContent(file, head.subarray(0, bytesRead));
      if (bytesRead < 9) throw invalid(file, `it is only ${stat.size} bytes long, too short for a header`);
      const headerLength = head.readBigUInt64LE(0);
      if (headerLength > BigInt(MAX_HEADER_BYTES)) {
        throw invalid(file, `its header claims ${headerLength} bytes; more than ${MAX_HEADER_BYTES} is refused`);
      }
      const headerBytes = Number(headerLength);
      if (8 + headerBytes > stat.size) {
        throw invalid(file, `its header claims ${headerBytes} bytes but the file has only ${stat.size - 8} after the length; the file is truncated or not safetensors`);
      }
      const raw = Buffer.alloc(headerBytes);
      await readFully(handle, file, raw, 8);
      const { tensors, metadata } = parseHeader(file, raw, stat.size - 8 - headerBytes, 8 + headerBytes);
      return new SafetensorsFile(file, stat.size, tensors, metadata, handle);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  get name(): string {
    return path.basename(this.path);
  }

  keys(): IterableIterator<string> {
    return this.tensors.keys();
  }

  info(key: string): TensorInfo | undefined {
    return this.tensors.get(key);
  }

  /** The tensor's raw little-endian bytes in pieces of at most `maxBytes` (rounded down to whole elements). */
  async *chunks(key: string, maxBytes = DEFAULT_CHUNK_BYTES): AsyncGenerator<Uint8Array> {
    const info = this.require(key);
    const element = SAFETENSORS_DTYPE_SIZES[info.dtype];
    const step = Math.max(element, maxBytes - (maxBytes % element));
    for (let at = info.begin; at < info.end; at += step) {
      // A fresh buffer per chunk owns its memory at offset 0, so typed-array views of it are aligned.
      const chunk = Buffer.allocUnsafeSlow(Math.min(step, info.end - at));
      await readFully(this.handle, this.path, chunk, at);
      yield chunk;
    }
  }

  /**
   * Fills `into` with the tensor's raw bytes from byte `from` of the tensor on (into a buffer the
   * caller reuses, where chunks() would allocate one per piece); throws if that runs past the tensor.
   */
  async readInto(key: string, from: number, into: Uint8Array): Promise<void> {
    const info = this.require(key);
    if (from < 0 || info.begin + from + into.byteLength > info.end) {
      throw new AppError('INTERNAL', `${this.name}: bytes ${from}-${from + into.byteLength} are outside ${key} (${info.end - info.begin} bytes).`);
    }
    await readFully(this.handle, this.path, into, info.begin + from);
  }

  /** The whole tensor as float32 (from F32, F16 or BF16), converted chunk by chunk into one array. */
  async readFloat32(key: string): Promise<Float32Array> {
    const info = this.require(key);
    const out = new Float32Array(info.elements);
    // float32 is read straight into the result; the others through one reused buffer, not one per chunk.
    if (info.dtype === 'F32') {
      await readFully(this.handle, this.path, new Uint8Array(out.buffer), info.begin);
      return out;
    }
    const size = SAFETENSORS_DTYPE_SIZES[info.dtype];
    const step = DEFAULT_CHUNK_BYTES - (DEFAULT_CHUNK_BYTES % size);
    const scratch = new Uint8Array(Math.min(step, info.end - info.begin));
    for (let at = info.begin; at < info.end; at += step) {
      const chunk = scratch.subarray(0, Math.min(step, info.end - at));
      await readFully(this.handle, this.path, chunk, at);
      decodeFloats(info.dtype, chunk, out, (at - info.begin) / size);
    }
    return out;
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }

  private require(key: string): TensorInfo {
    const info = this.tensors.get(key);
    if (!info) throw new AppError('MODEL_INVALID', `${this.name} has no tensor "${key}".`, { path: this.path, key });
    return info;
  }
}

async function readFully(handle: fs.FileHandle, file: string, into: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < into.byteLength) {
    const { bytesRead } = await handle.read(into, done, into.byteLength - done, position + done);
    if (bytesRead === 0) throw invalid(file, `it ended at byte ${position + done} while ${into.byteLength - done} more bytes were expected; the file is truncated`);
    done += bytesRead;
  }
}

function invalid(file: string, why: string): AppError {
  return new AppError('MODEL_INVALID', `${path.basename(file)} is not a valid safetensors file: ${why}.`, { path: file });
}

function parseHeader(
  file: string,
  raw: Buffer,
  dataBytes: number,
  dataStart: number,
): { tensors: Map<string, TensorInfo>; metadata: Record<string, string> } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw invalid(file, 'its header is not UTF-8 text');
  }
  if (!text.startsWith('{')) throw invalid(file, 'its header is not a JSON object');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalid(file, `its header is not valid JSON (${(err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid(file, 'its header is not a JSON object');

  const tensors = new Map<string, TensorInfo>();
  let metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(json)) {
    if (key === '__metadata__') {
      metadata = parseMetadata(file, value);
      continue;
    }
    const entry = parseEntry(file, key, value, dataBytes);
    tensors.set(key, { ...entry, key, begin: dataStart + entry.begin, end: dataStart + entry.end });
  }
  refuseOverlaps(file, [...tensors.values()]);
  return { tensors, metadata };
}

function parseMetadata(file: string, value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(file, '__metadata__ is not an object');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw invalid(file, `__metadata__.${k} is not a string`);
    out[k] = v;
  }
  return out;
}

function parseEntry(
  file: string,
  key: string,
  value: unknown,
  dataBytes: number,
): { dtype: SafetensorsDtype; shape: number[]; elements: number; begin: number; end: number } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(file, `tensor "${key}" is not an object`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (!isSafetensorsDtype(dtype)) throw invalid(file, `tensor "${key}" has unknown dtype ${JSON.stringify(dtype)}`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw invalid(file, `tensor "${key}" has shape ${JSON.stringify(shape)}, not a list of non-negative integers`);
  }
  const dims = shape as number[];
  const elements = dims.reduce((a, d) => a * d, 1);
  if (!Number.isSafeInteger(elements)) throw invalid(file, `tensor "${key}" has shape [${dims.join(', ')}], too many elements`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)) {
    throw invalid(file, `tensor "${key}" has data_offsets ${JSON.stringify(offsets)}, not [begin, end]`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) throw invalid(file, `tensor "${key}" has data_offsets [${begin}, ${end}] that end before they begin`);
  if (end > dataBytes) {
    throw invalid(file, `tensor "${key}" ends at byte ${end} of the data, past its end (${dataBytes} bytes); the file is truncated`);
  }
  const expected = elements * SAFETENSORS_DTYPE_SIZES[dtype];
  if (end - begin !== expected) {
    throw invalid(file, `tensor "${key}" (${dtype} [${dims.join(', ')}]) needs ${expected} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`);
  }
  return { dtype, shape: dims, elements, begin, end };
}

/** Two tensors sharing bytes would let a crafted file alias weights; gaps between tensors are harmless. */
function refuseOverlaps(file: string, tensors: TensorInfo[]): void {
  const sorted = tensors.filter((t) => t.end > t.begin).sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.begin < prev.end) throw invalid(file, `tensors "${prev.key}" and "${cur.key}" overlap`);
  }
}
