import { describe, expect, it } from 'vitest';
import { decodeFloats } from './dtype';

/**
 * decodeFloats reads two halves per 32-bit load when the bytes are 4-byte aligned, and one at a time
 * otherwise (odd offsets, the odd last element). Both paths must give the same float32 bits as the
 * element-by-element rule the assembler used before, for every bit pattern, NaNs included.
 */

/** The float32 bits of half `h` by IEEE 754 arithmetic; a NaN keeps sign, quiet bit and payload (numpy's npy_halfbits_to_floatbits does the same). */
function halfBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 31) return (sign | 0x7f800000 | (mant << 13)) >>> 0;
  const value = exp === 0 ? mant * 2 ** -24 : 2 ** (exp - 15) * (1 + mant / 1024);
  return (sign | new Uint32Array(Float32Array.of(value).buffer)[0]!) >>> 0;
}

const ALL = Uint16Array.from({ length: 65536 }, (_, i) => i);

/** Decodes ALL from a buffer where the halves start `shift` bytes in, into out[at...], and returns the float32 bits. */
function decodeAll(dtype: 'F16' | 'BF16', shift: number, at: number, count = 65536): Uint32Array {
  const raw = new Uint8Array(shift + count * 2);
  raw.set(new Uint8Array(ALL.buffer, 0, count * 2), shift);
  const out = new Float32Array(at + count);
  decodeFloats(dtype, raw.subarray(shift), out, at);
  return new Uint32Array(out.buffer, at * 4, count);
}

function mismatches(got: Uint32Array, want: (h: number) => number): string[] {
  const wrong: string[] = [];
  for (let h = 0; h < got.length; h++) {
    if (got[h] !== want(h)) wrong.push(`0x${h.toString(16)}: 0x${got[h]!.toString(16)} instead of 0x${want(h).toString(16)}`);
  }
  return wrong.slice(0, 20);
}

describe('float16 -> float32 over all 65536 bit patterns', () => {
  it('gives the same bits two at a time (aligned) as one at a time (offset by 1 or 2 bytes), each as IEEE 754 defines', () => {
    for (const shift of [0, 1, 2, 4]) expect(mismatches(decodeAll('F16', shift, 0), halfBits), `bytes ${shift} in`).toEqual([]);
  });

  it('keeps a NaN payload bit for bit, signalling ones included (not quietened)', () => {
    const got = decodeAll('F16', 0, 0);
    expect(got[0x7c01]).toBe(0x7f802000); // signalling, lowest payload bit
    expect(got[0x7e00]).toBe(0x7fc00000); // the quiet NaN numpy and torch write
    expect(got[0xfdff]).toBe(0xffbfe000); // negative, signalling, every payload bit
  });

  it('writes at an element offset and handles an odd count (the last half alone)', () => {
    const got = decodeAll('F16', 0, 3, 65535);
    expect(mismatches(got, halfBits)).toEqual([]);
  });
});

describe('bfloat16 -> float32', () => {
  it('is the top half of the float32 for all 65536 bit patterns, on both paths', () => {
    for (const shift of [0, 1, 2]) expect(mismatches(decodeAll('BF16', shift, 0), (h) => (h << 16) >>> 0), `bytes ${shift} in`).toEqual([]);
    expect(mismatches(decodeAll('BF16', 0, 1, 65535), (h) => (h << 16) >>> 0)).toEqual([]);
  });

  it('gives the edge values their IEEE 754 meaning', () => {
    const edges: [number, number][] = [
      [0x0000, 0],
      [0x8000, -0],
      [0x3f80, 1],
      [0xbf80, -1],
      [0x0001, 2 ** -133], // smallest subnormal
      [0x007f, 127 * 2 ** -133], // largest subnormal
      [0x0080, 2 ** -126], // smallest normal
      [0x7f7f, 255 * 2 ** 120], // largest finite
      [0x7f80, Infinity],
      [0xff80, -Infinity],
    ];
    const got = decodeAll('BF16', 0, 0);
    const floats = new Float32Array(got.buffer, got.byteOffset, got.length);
    for (const [h, want] of edges) expect(Object.is(floats[h], want), `0x${h.toString(16)}: ${floats[h]}`).toBe(true);
    // NaNs: quiet, signalling and negative, each kept bit for bit.
    expect([got[0x7fc0], got[0x7f81], got[0xffc1]]).toEqual([0x7fc00000, 0x7f810000, 0xffc10000]);
  });
});
