import { AppError } from '../../../../shared/contract';
import { DataFileWriter, type AssembledFile } from './data-writer';
import { decodeFloats, encodeFloats, FLOAT_SOURCE_DTYPES, GRAPH_DTYPE_SIZES, SAFETENSORS_DTYPE_SIZES, type SafetensorsDtype } from './dtype';
import { someNames } from './names';
import type { TensorEntry, TensorMap } from './recipe';
import { DEFAULT_CHUNK_BYTES } from './safetensors';
import { applyOps, numel, OpError, resultShape, showShape } from './tensor-ops';
import type { WeightSource } from './weight-source';

export type SourceSet = ReadonlyMap<string, WeightSource>;

export interface AssembleGraphOptions {
  map: TensorMap;
  sources: SourceSet;
  /** Where `<graph>.onnx.data` goes; it appears there only once complete. */
  outFile: string;
  signal?: AbortSignal;
  /** Bytes written so far of map.dataBytes, after each tensor. */
  onProgress?: (written: number, total: number) => void;
  chunkBytes?: number;
}

const ALIGNMENT = 64;
const INTEGER_SOURCE: Record<'int64' | 'int32', SafetensorsDtype> = { int64: 'I64', int32: 'I32' };

const byteLength = (entry: TensorEntry) => numel(entry.shape) * GRAPH_DTYPE_SIZES[entry.dtype];
const byOffset = (map: TensorMap) => [...map.tensors].sort((a, b) => a.offset - b.offset);

/**
 * Checks a tensor map against the opened sources from their headers alone, before a byte is written:
 * every key is there with the shape the map expects, the ops give the initializer's shape, and each
 * initializer fits its slot. Every problem is listed, not only the first.
 */
export function checkTensorMap(map: TensorMap, sources: SourceSet): void {
  const problems: string[] = [];
  const names = new Set<string>();
  const sorted = byOffset(map);
  let end = 0;
  sorted.forEach((entry, i) => {
    if (names.has(entry.name)) problems.push(`${entry.name} is listed twice`);
    names.add(entry.name);
    // Gaps are alignment only (RECIPES.md: 64-byte offsets); a wider one would have us write zeros for nothing.
    if (entry.offset - end >= ALIGNMENT) problems.push(`${entry.name} starts ${entry.offset - end} bytes after the tensor before it, more than the ${ALIGNMENT}-byte alignment`);
    end = entry.offset + byteLength(entry);
    const next = sorted[i + 1];
    if (next && end > next.offset) problems.push(`${entry.name} (${byteLength(entry)} bytes at ${entry.offset}) runs into ${next.name} at ${next.offset}`);
    problems.push(...checkEntry(entry, sources));
  });
  if (end !== map.dataBytes) problems.push(`the tensors end at byte ${end}, but the map says the data file has ${map.dataBytes}`);
  if (problems.length > 0) {
    throw new AppError('MODEL_INVALID', `${map.graph} cannot be assembled from these files (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}): ${someNames(problems)}.`, {
      graph: map.graph,
      problems: problems.slice(0, 200),
    });
  }
}

function checkEntry(entry: TensorEntry, sources: SourceSet): string[] {
  const problems: string[] = [];
  for (const from of entry.from) {
    const source = sources.get(from.source);
    if (!source) {
      problems.push(`${entry.name} needs the ${from.source} file, which was not given`);
      continue;
    }
    const info = source.info(from.key);
    if (!info) {
      problems.push(`${from.key} is missing from ${source.file.name} (the ${from.source} file)`);
      continue;
    }
    if (showShape(info.shape) !== showShape(from.shape)) {
      problems.push(`${from.key} in ${source.file.name} is ${showShape(info.shape)}, but the map expects ${showShape(from.shape)}`);
    }
    const wanted = entry.dtype === 'float32' || entry.dtype === 'float16' ? FLOAT_SOURCE_DTYPES : [INTEGER_SOURCE[entry.dtype]];
    if (!wanted.includes(info.dtype)) problems.push(`${from.key} in ${source.file.name} is ${info.dtype}, which cannot become ${entry.dtype}`);
  }
  if (problems.length > 0) return problems;
  if (isInteger(entry) && (entry.from.length !== 1 || entry.ops.some((op) => op.op !== 'reshape'))) {
    return [`${entry.name} is ${entry.dtype}: integer tensors can only be copied or reshaped`];
  }
  try {
    const shape = resultShape(
      entry.from.map((f) => f.shape),
      entry.ops,
    );
    if (showShape(shape) !== showShape(entry.shape)) {
      const keys = entry.from.map((f) => f.key).join(' + ');
      problems.push(`${entry.name} from ${keys} comes out ${showShape(shape)}, but the graph needs ${showShape(entry.shape)}`);
    }
  } catch (err) {
    if (!(err instanceof OpError)) throw err;
    problems.push(`${entry.name}: ${err.message}`);
  }
  return problems;
}

const isInteger = (entry: TensorEntry) => entry.dtype === 'int64' || entry.dtype === 'int32';

/**
 * Writes `<graph>.onnx.data`: each initializer's bytes at its offset, zeros between, converted to the
 * map's dtype. A tensor that is only copied (and converted) streams through in chunks; one with ops or
 * a LoRA is read whole, so memory holds at most the few tensors of a single entry at a time.
 */
export async function assembleGraph(options: AssembleGraphOptions): Promise<AssembledFile> {
  const { map, sources, signal } = options;
  checkTensorMap(map, sources);
  const writer = await DataFileWriter.create(options.outFile, { expectedBytes: map.dataBytes });
  let buffers: ReadBuffers | null = null;
  try {
    for (const entry of byOffset(map)) {
      if (signal?.aborted) throw new AppError('JOB_CANCELLED', `Assembling ${map.data} was cancelled; nothing was kept.`);
      await writer.padTo(entry.offset);
      const start = writer.position;
      if (isStreamable(entry, sources)) {
        buffers ??= readBuffers(options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
        await streamEntry(entry, sources, writer, buffers, signal);
      }
      else await writer.write(await computeEntry(entry, sources));
      if (writer.position - start !== byteLength(entry)) {
        throw new AppError('INTERNAL', `${entry.name} came out ${writer.position - start} bytes instead of ${byteLength(entry)}.`);
      }
      options.onProgress?.(writer.position, map.dataBytes);
    }
    const done = await writer.commit();
    options.onProgress?.(done.size, map.dataBytes);
    return done;
  } catch (err) {
    await writer.discard();
    throw err;
  }
}

/** One source, bytes unchanged by ops (a reshape only renames the shape) and no LoRA on it. */
function isStreamable(entry: TensorEntry, sources: SourceSet): boolean {
  const [from, ...rest] = entry.from;
  return rest.length === 0 && !!from && entry.ops.every((op) => op.op === 'reshape') && !sources.get(from.source)!.isMerged(from.key);
}

/** Read buffers reused by every streamed tensor of one data file: two, so one is read while the other is converted. */
interface ReadBuffers {
  step: number;
  inputs: [Uint8Array, Uint8Array];
}

function readBuffers(chunkBytes: number): ReadBuffers {
  // A multiple of 8 bytes fits every dtype's element; each buffer owns its memory at offset 0, so views are aligned.
  const step = Math.max(8, chunkBytes - (chunkBytes % 8));
  return { step, inputs: [new Uint8Array(step), new Uint8Array(step)] };
}

async function streamEntry(entry: TensorEntry, sources: SourceSet, writer: DataFileWriter, buffers: ReadBuffers, signal?: AbortSignal): Promise<void> {
  const from = entry.from[0]!;
  const source = sources.get(from.source)!;
  const info = source.info(from.key)!;
  const total = info.end - info.begin;
  const cancelled = () => new AppError('JOB_CANCELLED', `Assembling ${entry.name} was cancelled; nothing was kept.`);
  const rawCopy = isInteger(entry) || (info.dtype === 'F32' && entry.dtype === 'float32') || (info.dtype === 'F16' && entry.dtype === 'float16');
  if (rawCopy) {
    // Read straight into the writer's staging buffer: the bytes are never copied in memory.
    for (let at = 0; at < total; ) {
      if (signal?.aborted) throw cancelled();
      const room = await writer.room(total - at);
      const n = Math.min(room.byteLength, total - at);
      await source.file.readInto(from.key, at, room.subarray(0, n));
      writer.advance(n);
      at += n;
    }
    return;
  }
  const size = SAFETENSORS_DTYPE_SIZES[info.dtype];
  const read = (at: number, into: Uint8Array) => source.file.readInto(from.key, at, into.subarray(0, Math.min(buffers.step, total - at)));
  // The next chunk is read while this one is converted and written, so disk reads and conversion overlap.
  let turn = 0;
  let next: Promise<void> | null = read(0, buffers.inputs[0]);
  try {
    for (let at = 0; at < total; at += buffers.step) {
      await next;
      const chunk = buffers.inputs[turn]!.subarray(0, Math.min(buffers.step, total - at));
      turn ^= 1;
      next = at + buffers.step < total ? read(at + buffers.step, buffers.inputs[turn]!) : null;
      if (signal?.aborted) throw cancelled();
      if (entry.dtype === 'float32') await decodeInto(writer, info.dtype, chunk, size);
      else {
        const values = new Float32Array(chunk.byteLength / size);
        decodeFloats(info.dtype, chunk, values);
        await writer.write(encodeFloats(values, 'float16'));
      }
    }
  } finally {
    // A write that failed leaves a read in flight; settle it so its outcome is not an unhandled rejection.
    await next?.catch(() => undefined);
  }
}

/** Converts `chunk` to float32 straight into the writer's staging buffers, as many elements at a time as fit. */
async function decodeInto(writer: DataFileWriter, dtype: SafetensorsDtype, chunk: Uint8Array, size: number): Promise<void> {
  const count = chunk.byteLength / size;
  for (let done = 0; done < count; ) {
    const room = await writer.room(4);
    if (room.byteOffset % 4 !== 0) {
      // An offset the map did not align (never in a recipe): convert aside and copy.
      const values = new Float32Array(count - done);
      decodeFloats(dtype, chunk.subarray(done * size), values);
      await writer.write(new Uint8Array(values.buffer));
      return;
    }
    let n = Math.min(count - done, room.byteLength >>> 2);
    // An even count keeps the next piece's source 4-byte aligned, for the two-at-a-time decoding.
    if (n < count - done && n > 1) n &= ~1;
    decodeFloats(dtype, chunk.subarray(done * size, (done + n) * size), new Float32Array(room.buffer, room.byteOffset, n));
    writer.advance(n * 4);
    done += n;
  }
}

async function computeEntry(entry: TensorEntry, sources: SourceSet): Promise<Uint8Array> {
  const inputs = [];
  for (const from of entry.from) inputs.push({ shape: [...from.shape], data: await sources.get(from.source)!.readFloat32(from.key) });
  try {
    return encodeFloats(applyOps(inputs, entry.ops).data, entry.dtype as 'float32' | 'float16');
  } catch (err) {
    if (err instanceof OpError) throw new AppError('MODEL_INVALID', `${entry.name}: ${err.message}.`);
    throw err;
  }
}
