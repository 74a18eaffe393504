import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOps, numel, OpError, resultShape, type Tensor } from './tensor-ops';

const arange = (shape: number[]): Tensor => ({ shape, data: Float32Array.from({ length: numel(shape) }, (_, i) => i) });

/** Element at a multi-index, row-major: the definition the ops are checked against. */
function at(t: Tensor, index: number[]): number {
  let flat = 0;
  index.forEach((ix, axis) => (flat = flat * t.shape[axis]! + ix));
  return t.data[flat]!;
}

function* indices(shape: number[]): Generator<number[]> {
  if (numel(shape) === 0) return;
  const ix = shape.map(() => 0);
  for (;;) {
    yield [...ix];
    let axis = shape.length - 1;
    while (axis >= 0 && ++ix[axis]! === shape[axis]) ix[axis--] = 0;
    if (axis < 0) return;
  }
}

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });
const permOf = (rank: number) => fc.shuffledSubarray([...Array(rank).keys()], { minLength: rank, maxLength: rank });

describe('transpose', () => {
  it('puts out[i0..] = in[i_perm..] for any shape and permutation', () => {
    fc.assert(
      fc.property(
        shapeArb.chain((shape) => fc.tuple(fc.constant(shape), permOf(shape.length))),
        ([shape, perm]) => {
          const input = arange(shape);
          const out = applyOps([{ shape: [...shape], data: input.data.slice() }], [{ op: 'transpose', perm }]);
          expect(out.shape).toEqual(perm.map((p) => shape[p]));
          for (const ix of indices(out.shape)) {
            const src = new Array<number>(shape.length);
            perm.forEach((p, k) => (src[p] = ix[k]!));
            expect(at(out, ix)).toBe(at(input, src));
          }
        },
      ),
    );
  });

  it('transposes a large matrix (the tiled path) as the definition says', () => {
    const input = arange([70, 45]);
    const out = applyOps([{ shape: [70, 45], data: input.data.slice() }], [{ op: 'transpose', perm: [1, 0] }]);
    expect(out.shape).toEqual([45, 70]);
    for (const [r, c] of [[0, 0], [69, 44], [33, 12], [64, 40]] as const) expect(at(out, [c, r])).toBe(at(input, [r, c]));
  });
});

describe('concat and slice', () => {
  it('slicing a concat gives back the pieces, on any axis', () => {
    fc.assert(
      fc.property(shapeArb, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }), fc.nat(), (shape, sizes, axisSeed) => {
        const axis = axisSeed % shape.length;
        const pieces = sizes.map((size, k) => {
          const s = [...shape];
          s[axis] = size;
          return { shape: s, data: Float32Array.from({ length: numel(s) }, (_, i) => k * 1000 + i) };
        });
        const joined = applyOps(
          pieces.map((p) => ({ shape: [...p.shape], data: p.data.slice() })),
          [{ op: 'concat', axis }],
        );
        let start = 0;
        for (const piece of pieces) {
          const end = start + piece.shape[axis]!;
          const back = applyOps([{ shape: [...joined.shape], data: joined.data.slice() }], [{ op: 'slice', axis, start, end }]);
          expect(back.shape).toEqual(piece.shape);
          expect(back.data).toEqual(piece.data);
          start = end;
        }
      }),
    );
  });

  it('joins fused q/k/v the way the projections are stacked', () => {
    const q = { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) };
    const k = { shape: [2, 3], data: Float32Array.of(7, 8, 9, 10, 11, 12) };
    const out = applyOps([q, k], [{ op: 'concat', axis: 1 }]);
    expect(out.shape).toEqual([2, 6]);
    expect(Array.from(out.data)).toEqual([1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12]);
  });
});

describe('reshape and scale', () => {
  it('reshape keeps the elements in order; scale multiplies in float32', () => {
    const out = applyOps([arange([4, 2, 1, 1])], [{ op: 'reshape', shape: [4, 2] }, { op: 'scale', by: 0.1 }]);
    expect(out.shape).toEqual([4, 2]);
    expect(Array.from(out.data)).toEqual(Array.from({ length: 8 }, (_, i) => Math.fround(i * Math.fround(0.1))));
  });
});

describe('shape checks before any data', () => {
  it('gives the result shape of a whole op list from shapes alone', () => {
    expect(
      resultShape(
        [
          [4, 16],
          [4, 16],
          [4, 16],
        ],
        [
          { op: 'concat', axis: 0 },
          { op: 'transpose', perm: [1, 0] },
        ],
      ),
    ).toEqual([16, 12]);
  });

  it.each([
    [[[2, 3]], [{ op: 'transpose', perm: [0, 0] }], /op 1 \(transpose\): \[0, 0\] is not a permutation of the axes of \[2, 3\]/],
    [[[2, 3]], [{ op: 'reshape', shape: [5] }], /op 1 \(reshape\): \[2, 3\] cannot become \[5\]/],
    [[[2, 3]], [{ op: 'slice', axis: 1, start: 1, end: 4 }], /op 1 \(slice\): 1..4 does not fit axis 1 of \[2, 3\]/],
    [[[2, 3]], [{ op: 'slice', axis: 2, start: 0, end: 1 }], /axis 2 is outside \[2, 3\]/],
    [[[2, 3], [3, 3]], [{ op: 'concat', axis: 1 }], /cannot join \[2, 3\] and \[3, 3\] along axis 1/],
    [[[2, 3], [2, 3]], [{ op: 'scale', by: 2 }], /op 1 \(scale\) needs one tensor but has 2; join them with a concat first/],
    [[[2, 3], [2, 3]], [], /2 tensors are left after the ops/],
  ] as const)('refuses %j with %j', (shapes, ops, message) => {
    const run = () =>
      resultShape(
        shapes.map((s) => [...s]),
        ops as never,
      );
    expect(run).toThrow(OpError);
    expect(run).toThrow(message);
  });
});
