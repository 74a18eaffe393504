import type { WireTensor } from '../../workers';

/** A float32 tensor as the pipeline handles it: shape plus flat row-major data. */
export interface F32 {
  dims: number[];
  data: Float32Array;
}

export function wire(t: F32): WireTensor {
  return { type: 'float32', dims: [...t.dims], data: t.data };
}

export function fromWire(t: WireTensor, what: string): F32 {
  if (t.type !== 'float32') throw new Error(`${what} is ${t.type}, expected float32`);
  return { dims: [...t.dims], data: t.data };
}

export function filled(dims: number[], value: number): F32 {
  return { dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(value) };
}

function rowSize(t: F32): number {
  return t.dims.slice(1).reduce((a, b) => a * b, 1);
}

/** Batch item i of t, as a batch of one. */
export function item(t: F32, i: number): F32 {
  const n = rowSize(t);
  return { dims: [1, ...t.dims.slice(1)], data: t.data.slice(i * n, (i + 1) * n) };
}

/** Batch item i of t as a view on t's data (no copy): for reading right away, not for keeping. */
export function itemView(t: F32, i: number): F32 {
  const n = rowSize(t);
  return { dims: [1, ...t.dims.slice(1)], data: t.data.subarray(i * n, (i + 1) * n) };
}

/** Tensors stacked along the batch axis (all with the same trailing shape). */
export function batch(parts: F32[]): F32 {
  const tail = parts[0]!.dims.slice(1);
  for (const p of parts) {
    if (p.dims.slice(1).join() !== tail.join()) throw new Error(`cannot batch [${p.dims.join(',')}] with [${parts[0]!.dims.join(',')}]`);
  }
  const data = new Float32Array(parts.reduce((s, p) => s + p.data.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p.data, at);
    at += p.data.length;
  }
  return { dims: [parts.reduce((s, p) => s + p.dims[0]!, 0), ...tail], data };
}

/** [B, N, D] and [B, M, D] joined along the token axis: [B, N + M, D]. */
export function concatTokens(a: F32, b: F32): F32 {
  const [batchSize, n, d] = a.dims as [number, number, number];
  const [bb, m, db] = b.dims as [number, number, number];
  if (bb !== batchSize || db !== d) throw new Error(`cannot join tokens [${a.dims.join(',')}] and [${b.dims.join(',')}]`);
  const out = new Float32Array(batchSize * (n + m) * d);
  for (let i = 0; i < batchSize; i++) {
    out.set(a.data.subarray(i * n * d, (i + 1) * n * d), i * (n + m) * d);
    out.set(b.data.subarray(i * m * d, (i + 1) * m * d), i * (n + m) * d + n * d);
  }
  return { dims: [batchSize, n + m, d], data: out };
}

/** The first `count` tokens of batch item 0 of a [B, N, D] tensor, as [count, D]. */
export function leadingTokens(t: F32, count: number): F32 {
  const d = t.dims[2]!;
  return { dims: [count, d], data: t.data.slice(0, count * d) };
}

/**
 * Classifier-free guidance into `out`: uncond + scale * (cond - uncond), rounded to float32 at every
 * operation as numpy does it in the reference. A function of its own (not a loop inside the long
 * async render) so the JIT optimises it after a few steps: inline, it ran interpreted for ~1 ms a render.
 */
export function guide(out: Float32Array, uncond: Float32Array, cond: Float32Array, scale: number): Float32Array {
  const f32 = Math.fround;
  for (let j = 0; j < out.length; j++) out[j] = f32(uncond[j]! + f32(scale * f32(cond[j]! - uncond[j]!)));
  return out;
}
