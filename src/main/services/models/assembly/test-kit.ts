import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../../../../shared/mulberry32';
import { SafetensorsFile } from './safetensors';
import { floatToHalfBits, SAFETENSORS_DTYPE_SIZES, type SafetensorsDtype } from './dtype';

/** Test helpers: a tiny safetensors writer (the format is a length, a JSON header, the bytes). */

export interface TwinTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  /** Element values (encoded in `dtype`); zeros when left out. */
  values?: ArrayLike<number>;
  /** Raw little-endian bytes instead of values. */
  bytes?: Uint8Array;
}

export function tempDir(prefix = 'jinxiu-assembly-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Encodes numbers as little-endian `dtype` elements; BF16 rounds to nearest even like torch does. */
export function encodeValues(dtype: SafetensorsDtype, values: ArrayLike<number>): Uint8Array {
  const n = values.length;
  const out = Buffer.alloc(n * SAFETENSORS_DTYPE_SIZES[dtype]);
  const scratch = new Float32Array(1);
  const bits = new Uint32Array(scratch.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (dtype === 'F32') out.writeFloatLE(v, i * 4);
    else if (dtype === 'F64') out.writeDoubleLE(v, i * 8);
    else if (dtype === 'F16') out.writeUInt16LE(floatToHalfBits(v, scratch, bits), i * 2);
    else if (dtype === 'BF16') {
      scratch[0] = v;
      const x = bits[0]!;
      out.writeUInt16LE(Number.isNaN(v) ? 0x7fc0 : ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff, i * 2);
    } else if (dtype === 'I64') out.writeBigInt64LE(BigInt(v), i * 8);
    else if (dtype === 'I32') out.writeInt32LE(v, i * 4);
    else if (dtype === 'U8' || dtype === 'BOOL') out.writeUInt8(v, i);
    else throw new Error(`test-kit cannot encode ${dtype}`);
  }
  return out;
}

/** Writes a well-formed safetensors file, tensors laid out in the order given, header padded to 8 bytes. */
export function writeSafetensors(file: string, tensors: Record<string, TwinTensor>, metadata?: Record<string, string>): string {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const [key, t] of Object.entries(tensors)) {
    const elements = t.shape.reduce((a, d) => a * d, 1);
    const bytes = t.bytes ?? (t.values ? encodeValues(t.dtype, t.values) : new Uint8Array(elements * SAFETENSORS_DTYPE_SIZES[t.dtype]));
    if (bytes.byteLength !== elements * SAFETENSORS_DTYPE_SIZES[t.dtype]) throw new Error(`test-kit: ${key} has ${t.values?.length} values for shape [${t.shape}]`);
    header[key] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes.byteLength] };
    blobs.push(bytes);
    offset += bytes.byteLength;
  }
  return writeRawSafetensors(file, JSON.stringify(header), Buffer.concat(blobs));
}

/** Writes any header text (hostile ones included) and data; `claimedLength` overrides the length prefix. */
export function writeRawSafetensors(file: string, headerText: string | Uint8Array, data: Uint8Array, claimedLength?: bigint): string {
  let header = typeof headerText === 'string' ? Buffer.from(headerText, 'utf8') : Buffer.from(headerText);
  const pad = (8 - (header.byteLength % 8)) % 8;
  header = Buffer.concat([header, Buffer.alloc(pad, 0x20)]);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(claimedLength ?? BigInt(header.byteLength));
  fs.writeFileSync(file, Buffer.concat([prefix, header, data]));
  return file;
}

/** A header-only twin: every key with its shape, zero-size data where a dimension is 0, else zeros. */
export function writeKeyList(file: string, keys: Record<string, number[]>, dtype: SafetensorsDtype = 'F16'): string {
  const tensors: Record<string, TwinTensor> = {};
  for (const [key, shape] of Object.entries(keys)) tensors[key] = { dtype, shape };
  return writeSafetensors(file, tensors);
}

/** Deterministic values in [-1, 1) for twins. */
export function seededValues(count: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  return Float32Array.from({ length: count }, () => next() * 2 - 1);
}

/** Every tensor of a safetensors file with its raw bytes, to write a changed copy of a twin. */
export async function readTwin(file: string): Promise<Record<string, TwinTensor>> {
  const st = await SafetensorsFile.open(file);
  try {
    const out: Record<string, TwinTensor> = {};
    for (const info of st.tensors.values()) {
      const parts: Uint8Array[] = [];
      for await (const chunk of st.chunks(info.key)) parts.push(chunk);
      out[info.key] = { dtype: info.dtype, shape: [...info.shape], bytes: Buffer.concat(parts) };
    }
    return out;
  } finally {
    await st.close();
  }
}

/**
 * A full-size file with real key names, dtypes and shapes but no weights: the header is written and the
 * data section left as a hole (a sparse file of the real length), so headers, maps and coverage can be
 * checked on multi-gigabyte layouts without the disk or the download.
 */
export function writeSparseTwin(file: string, tensors: Record<string, { dtype: SafetensorsDtype; shape: number[] }>): string {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [key, t] of Object.entries(tensors)) {
    const bytes = t.shape.reduce((a, d) => a * d, 1) * SAFETENSORS_DTYPE_SIZES[t.dtype];
    header[key] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  writeRawSafetensors(file, JSON.stringify(header), new Uint8Array(0));
  fs.truncateSync(file, fs.statSync(file).size + offset);
  return file;
}
