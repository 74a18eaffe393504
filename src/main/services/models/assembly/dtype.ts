import os from 'node:os';
import { AppError } from '../../../../shared/contract';

/**
 * safetensors' dtype names with their element size in bytes. Sub-byte types (F4, F6_*) are left out on
 * purpose: their byte length is not shape x size, so a header using them is refused as unknown.
 */
export const SAFETENSORS_DTYPE_SIZES = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  F8_E8M0: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
} as const;
export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPE_SIZES;

export function isSafetensorsDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.hasOwn(SAFETENSORS_DTYPE_SIZES, value);
}

/** The dtypes a graph initializer may be written in (ONNX names, as the tensor map spells them). */
export const GRAPH_DTYPE_SIZES = { float32: 4, float16: 2, int64: 8, int32: 4 } as const;
export type GraphDtype = keyof typeof GRAPH_DTYPE_SIZES;

/** Source dtypes that convert to float32 for the ops and the LoRA merge. */
export const FLOAT_SOURCE_DTYPES: readonly SafetensorsDtype[] = ['F32', 'F16', 'BF16'];

// Typed-array views below reinterpret file bytes in place; safetensors and ONNX external data are both
// little-endian, so on a big-endian machine every float would come out scrambled.
if (os.endianness() !== 'LE') {
  throw new AppError('INTERNAL', 'Assembling model packs needs a little-endian machine.');
}

let f16Table: Int32Array | null = null;

/** float32 bits of every float16 value; a table keeps conversion exact and fast without branches per element. */
function halfToFloatBits(): Int32Array {
  if (f16Table) return f16Table;
  // Int32 rather than Uint32: the loops then move bits without ever widening a value to a double.
  const table = new Int32Array(65536);
  const f32 = new Float32Array(1);
  const bits = new Uint32Array(f32.buffer);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const exp = (h >> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0) {
      // Zero or subnormal (mant * 2^-24): every one of them is a normal float32, computed exactly.
      f32[0] = mant * 2 ** -24;
      table[h] = sign | bits[0]!;
    } else if (exp === 31) {
      // Inf, or NaN with its payload kept in the top mantissa bits.
      table[h] = sign | 0x7f800000 | (mant << 13);
    } else {
      table[h] = sign | ((exp - 15 + 127) << 23) | (mant << 13);
    }
  }
  f16Table = table;
  return table;
}

/** Reads `bytes` (little-endian elements of `dtype`) into `out` as float32, starting at out[at]. */
export function decodeFloats(dtype: SafetensorsDtype, bytes: Uint8Array, out: Float32Array, at = 0): void {
  const count = bytes.byteLength / SAFETENSORS_DTYPE_SIZES[dtype];
  const outBits = new Int32Array(out.buffer, out.byteOffset + at * 4, count);
  if (dtype === 'F32') {
    new Uint8Array(outBits.buffer, outBits.byteOffset, bytes.byteLength).set(bytes);
    return;
  }
  if (dtype !== 'F16' && dtype !== 'BF16') {
    throw new AppError('MODEL_INVALID', `A ${dtype} tensor cannot be read as floating point (only F32, F16 and BF16 can).`);
  }
  // Two halves per 32-bit load where the bytes allow it (every chunk the assembler reads does): half
  // the loads of the element loop, which is what this loop's time goes to.
  const paired = bytes.byteOffset % 4 === 0 ? count >>> 1 : 0;
  if (paired > 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, paired);
    if (dtype === 'F16') decodeHalfPairs(words, outBits, halfToFloatBits());
    else decodeBfloatPairs(words, outBits);
  }
  const rest = paired * 2;
  if (rest === count) return;
  const halves = aligned16(bytes.subarray(rest * 2));
  if (dtype === 'F16') decodeHalves(halves, outBits, rest, halfToFloatBits());
  else decodeBfloats(halves, outBits, rest);
}

// Small monomorphic loops: V8 optimises each for exactly these typed-array kinds.
function decodeHalfPairs(words: Uint32Array, out: Int32Array, table: Int32Array): void {
  const n = words.length;
  for (let i = 0; i < n; i++) {
    const w = words[i]!;
    out[2 * i] = table[w & 0xffff]!;
    out[2 * i + 1] = table[w >>> 16]!;
  }
}

function decodeHalves(halves: Uint16Array, out: Int32Array, at: number, table: Int32Array): void {
  for (let i = 0; i < halves.length; i++) out[at + i] = table[halves[i]!]!;
}

// bfloat16 is the top half of a float32, so the shift is exact for every value, NaN and inf included.
function decodeBfloatPairs(words: Uint32Array, out: Int32Array): void {
  const n = words.length;
  for (let i = 0; i < n; i++) {
    const w = words[i]!;
    out[2 * i] = w << 16;
    out[2 * i + 1] = w & 0xffff0000;
  }
}

function decodeBfloats(halves: Uint16Array, out: Int32Array, at: number): void {
  for (let i = 0; i < halves.length; i++) out[at + i] = halves[i]! << 16;
}

function aligned16(bytes: Uint8Array): Uint16Array {
  if (bytes.byteOffset % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  return new Uint16Array(bytes.slice().buffer);
}

/** float32 -> float16 bits, round to nearest even, overflow to inf, NaN kept NaN (quiet). */
export function floatToHalfBits(value: number, scratch: Float32Array, scratchBits: Uint32Array): number {
  scratch[0] = value;
  const x = scratchBits[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 | (mant >>> 13) : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half (or zero): shift the full significand right and round the dropped bits to even.
    if (e < -10) return sign;
    const full = mant | 0x800000;
    const shift = 14 - e;
    const half = full >>> shift;
    const rest = full & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    return sign | (half + (rest > midpoint || (rest === midpoint && half & 1) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (and 0x7bff + 1 becomes inf).
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

/** Encodes float32 values as the graph dtype's little-endian bytes (float32 or float16). */
export function encodeFloats(values: Float32Array, dtype: 'float32' | 'float16'): Uint8Array {
  if (dtype === 'float32') return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint16Array(values.length);
  const scratch = new Float32Array(1);
  const scratchBits = new Uint32Array(scratch.buffer);
  for (let i = 0; i < values.length; i++) out[i] = floatToHalfBits(values[i]!, scratch, scratchBits);
  return new Uint8Array(out.buffer);
}
