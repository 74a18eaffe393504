import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assembleGraph } from './assemble-graph';
import { STAGING_BYTES } from './data-writer';
import type { TensorEntry, TensorMap } from './recipe';
import { SafetensorsFile } from './safetensors';
import { tempDir, writeSafetensors } from './test-kit';
import { WeightSource } from './weight-source';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Small integers and their halves: exact in float16, bfloat16 and float32, so the expected bytes need no converter. */
const exact = (count: number, seed: number) => Float32Array.from({ length: count }, (_, i) => (((i * 7 + seed) % 255) - 127) / 2);

describe('streamed tensors', () => {
  it('come out as the values they hold, across staging buffers, at an unaligned offset, and in every dtype pairing', async () => {
    const big = exact(STAGING_BYTES / 4 + 1_000_003, 3); // more than a staging buffer as float32
    const a = exact(3, 1);
    const b = exact(5, 2);
    const d = exact(1001, 4);
    const checkpoint = writeSafetensors(path.join(dir, 'mixed.safetensors'), {
      a: { dtype: 'F16', shape: [3], values: a },
      b: { dtype: 'F16', shape: [5], values: b },
      big: { dtype: 'BF16', shape: [big.length], values: big },
      d: { dtype: 'F32', shape: [1001], values: d },
    });
    // a: F16 kept float16 (6 bytes), so b's float32 starts at byte 6, off the 4-byte grid; big starts
    // after a 2-byte gap, back on it (at 28).
    const layout: [string, TensorEntry['dtype'], number][] = [
      ['a', 'float16', 3],
      ['b', 'float32', 5],
      ['big', 'float32', big.length],
      ['d', 'float16', 1001],
    ];
    let offset = 0;
    const tensors = layout.map(([key, dtype, n]) => {
      if (key === 'big') offset += 2;
      const entry: TensorEntry = { name: key, offset, dtype, shape: [n], from: [{ source: 'checkpoint', key, shape: [n] }], ops: [] };
      offset += n * (dtype === 'float32' ? 4 : 2);
      return entry;
    });
    const map: TensorMap = { graph: 'mixed.onnx', data: 'mixed.onnx.data', dataBytes: offset, tensors };
    const file = await SafetensorsFile.open(checkpoint);
    try {
      const sources = new Map([['checkpoint', new WeightSource('checkpoint', file)]]);
      // Read chunks that fall across staging-buffer ends at odd places.
      for (const chunkBytes of [undefined, 1_048_584]) {
        const outFile = path.join(dir, `mixed-${chunkBytes ?? 'default'}.onnx.data`);
        await assembleGraph({ map, sources, outFile, chunkBytes });
        const bytes = fs.readFileSync(outFile);
        expect(bytes.byteLength).toBe(offset);
        expect(bytes.readUInt16LE(26)).toBe(0);
        const halves = (at: number, n: number) => Array.from({ length: n }, (_, i) => halfToNumber(bytes.readUInt16LE(at + 2 * i)));
        expect(halves(0, 3)).toEqual(Array.from(a));
        expect(Array.from({ length: 5 }, (_, i) => bytes.readFloatLE(6 + 4 * i))).toEqual(Array.from(b));
        const bigOut = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 28, bytes.byteOffset + 28 + big.length * 4));
        expect(Buffer.compare(Buffer.from(bigOut.buffer), Buffer.from(big.buffer))).toBe(0);
        expect(halves(28 + big.length * 4, 1001)).toEqual(Array.from(d));
      }
    } finally {
      await file.close();
    }
  });
});

/** float16 bits to a number, by the IEEE 754 formula (finite values only: the test writes no others). */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  return exp === 0 ? sign * mant * 2 ** -24 : sign * 2 ** (exp - 15) * (1 + mant / 1024);
}
