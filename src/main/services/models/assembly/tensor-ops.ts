import type { TensorOp } from './recipe';

/** A float32 tensor, row-major. */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

/** An op that does not fit the tensors it gets; the caller adds which map entry it is. */
export class OpError extends Error {}

export const numel = (shape: readonly number[]): number => shape.reduce((a, d) => a * d, 1);
export const showShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/**
 * The shapes after one op. Every op but concat works on exactly one tensor; concat joins all of them.
 * Used alone it checks a whole tensor map before a byte is read; applyOps runs the same checks.
 */
function stepShapes(shapes: number[][], op: TensorOp, index: number): number[][] {
  const where = `op ${index + 1} (${op.op})`;
  if (op.op === 'concat') {
    const first = shapes[0]!;
    if (op.axis >= first.length) throw new OpError(`${where}: axis ${op.axis} is outside ${showShape(first)}`);
    for (const s of shapes) {
      const agrees = s.length === first.length && s.every((d, i) => i === op.axis || d === first[i]);
      if (!agrees) throw new OpError(`${where}: cannot join ${shapes.map(showShape).join(' and ')} along axis ${op.axis}`);
    }
    const out = [...first];
    out[op.axis] = shapes.reduce((a, s) => a + s[op.axis]!, 0);
    return [out];
  }
  if (shapes.length !== 1) throw new OpError(`${where} needs one tensor but has ${shapes.length}; join them with a concat first`);
  const shape = shapes[0]!;
  switch (op.op) {
    case 'slice': {
      const dim = shape[op.axis];
      if (dim === undefined) throw new OpError(`${where}: axis ${op.axis} is outside ${showShape(shape)}`);
      if (op.start > op.end || op.end > dim) throw new OpError(`${where}: ${op.start}..${op.end} does not fit axis ${op.axis} of ${showShape(shape)}`);
      const out = [...shape];
      out[op.axis] = op.end - op.start;
      return [out];
    }
    case 'transpose': {
      const isPermutation = op.perm.length === shape.length && op.perm.every((p, i) => p < shape.length && op.perm.indexOf(p) === i);
      if (!isPermutation) throw new OpError(`${where}: [${op.perm.join(', ')}] is not a permutation of the axes of ${showShape(shape)}`);
      return [op.perm.map((p) => shape[p]!)];
    }
    case 'reshape':
      if (numel(op.shape) !== numel(shape)) throw new OpError(`${where}: ${showShape(shape)} cannot become ${showShape(op.shape)}`);
      return [[...op.shape]];
    case 'scale':
      return [shape];
  }
}

export function resultShape(inputs: readonly (readonly number[])[], ops: readonly TensorOp[]): number[] {
  let shapes = inputs.map((s) => [...s]);
  ops.forEach((op, i) => (shapes = stepShapes(shapes, op, i)));
  if (shapes.length !== 1) throw new OpError(`${shapes.length} tensors are left after the ops; join them with a concat`);
  return shapes[0]!;
}

/** Runs the ops; inputs may be modified in place (they are fresh reads). */
export function applyOps(inputs: Tensor[], ops: readonly TensorOp[]): Tensor {
  let tensors = inputs;
  ops.forEach((op, i) => {
    const [shape] = stepShapes(
      tensors.map((t) => t.shape),
      op,
      i,
    ) as [number[]];
    tensors = [run(tensors, op, shape)];
  });
  if (tensors.length !== 1) throw new OpError(`${tensors.length} tensors are left after the ops; join them with a concat`);
  return tensors[0]!;
}

function run(tensors: Tensor[], op: TensorOp, shape: number[]): Tensor {
  const t = tensors[0]!;
  switch (op.op) {
    case 'concat':
      return { shape, data: concat(tensors, op.axis, shape) };
    case 'slice':
      return { shape, data: slice(t, op.axis, op.start, op.end, shape) };
    case 'transpose':
      return { shape, data: transpose(t, op.perm) };
    case 'reshape':
      return { shape, data: t.data };
    case 'scale': {
      const by = Math.fround(op.by);
      for (let i = 0; i < t.data.length; i++) t.data[i]! *= by;
      return { shape, data: t.data };
    }
  }
}

function concat(tensors: Tensor[], axis: number, shape: number[]): Float32Array {
  const out = new Float32Array(numel(shape));
  const outer = numel(shape.slice(0, axis));
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const t of tensors) {
      const block = numel(t.shape.slice(axis));
      out.set(t.data.subarray(o * block, (o + 1) * block), at);
      at += block;
    }
  }
  return out;
}

function slice(t: Tensor, axis: number, start: number, end: number, shape: number[]): Float32Array {
  const out = new Float32Array(numel(shape));
  const outer = numel(t.shape.slice(0, axis));
  const inner = numel(t.shape.slice(axis + 1));
  const rowIn = t.shape[axis]! * inner;
  const rowOut = (end - start) * inner;
  for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * rowIn + start * inner, o * rowIn + end * inner), o * rowOut);
  return out;
}

/**
 * Tiles keep both the reads and the writes within cache lines on 1280x1280 weights; the indices walk
 * by addition, and the loop sees plain typed arrays only, so V8 keeps it tight.
 */
function transpose2d(data: Float32Array, out: Float32Array, rows: number, cols: number): void {
  const tile = 64;
  for (let r0 = 0; r0 < rows; r0 += tile) {
    const rEnd = Math.min(r0 + tile, rows);
    for (let c0 = 0; c0 < cols; c0 += tile) {
      const cEnd = Math.min(c0 + tile, cols);
      for (let r = r0; r < rEnd; r++) {
        let from = r * cols + c0;
        let to = c0 * rows + r;
        for (let c = c0; c < cEnd; c++, from++, to += rows) out[to] = data[from]!;
      }
    }
  }
}

function transpose(t: Tensor, perm: readonly number[]): Float32Array {
  const rank = t.shape.length;
  const out = new Float32Array(t.data.length);
  if (rank === 2 && perm[0] === 1) {
    const [rows, cols] = t.shape as [number, number];
    transpose2d(t.data, out, rows, cols);
    return out;
  }
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= t.shape[i]!;
  }
  const outShape = perm.map((p) => t.shape[p]!);
  const stride = perm.map((p) => inStrides[p]!);
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = t.data[src]!;
    // Odometer over the output's index, moving the source offset along with it.
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]!++;
      src += stride[axis]!;
      if (index[axis]! < outShape[axis]!) break;
      src -= stride[axis]! * outShape[axis]!;
      index[axis] = 0;
    }
  }
  return out;
}
