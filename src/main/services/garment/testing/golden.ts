import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePythonJson } from '../python-json';
import { fileURLToPath } from 'node:url';

/** tools/models/golden, where the toolchain writes the reference outputs the parity tests read. */
export const GOLDEN_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../tools/models/golden');

type GoldenDtype = 'float32' | 'int32' | 'int64' | 'uint8';

interface GoldenArraySpec {
  dtype: GoldenDtype;
  shape: number[];
  offset: number;
  bytes: number;
}

export interface GoldenArray {
  dtype: GoldenDtype;
  shape: number[];
  data: Float32Array | Int32Array | BigInt64Array | Uint8Array;
}

/** A "jinxiu-golden-1" file pair (see tools/models/common/golden_io.py): an index and a little-endian blob. */
export class Golden<Meta = Record<string, unknown>> {
  readonly meta: Meta;
  private readonly arrays: Record<string, GoldenArraySpec>;
  private readonly blob: Buffer;

  constructor(name: string, dir = GOLDEN_DIR) {
    const index = parsePythonJson(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as {
      format: string;
      data: string;
      meta: Meta;
      arrays: Record<string, GoldenArraySpec>;
    };
    if (index.format !== 'jinxiu-golden-1') throw new Error(`${name}.json: unknown golden format ${index.format}`);
    this.meta = index.meta;
    this.arrays = index.arrays;
    this.blob = readFileSync(path.join(dir, index.data));
  }

  has(key: string): boolean {
    return key in this.arrays;
  }

  get keys(): string[] {
    return Object.keys(this.arrays);
  }

  array(key: string): GoldenArray {
    const spec = this.arrays[key];
    if (!spec) throw new Error(`golden has no array ${key}`);
    // Copy out so the typed array owns aligned bytes.
    const bytes = new Uint8Array(this.blob.subarray(spec.offset, spec.offset + spec.bytes)).buffer;
    const data =
      spec.dtype === 'float32'
        ? new Float32Array(bytes)
        : spec.dtype === 'int32'
          ? new Int32Array(bytes)
          : spec.dtype === 'int64'
            ? new BigInt64Array(bytes)
            : new Uint8Array(bytes);
    return { dtype: spec.dtype, shape: spec.shape, data };
  }

  float32(key: string): Float32Array {
    const a = this.array(key);
    if (!(a.data instanceof Float32Array)) throw new Error(`golden ${key} is ${a.dtype}, not float32`);
    return a.data;
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
