/**
 * The int8 scan kernel as a hand-assembled WebAssembly SIMD module (about 200 bytes, built here so
 * there is no binary blob and no toolchain to trust).
 *
 *   scan(codes, n, dim, query, out): for each of n rows of `dim` int8 codes starting at `codes`,
 *   out[row] = sum_i codes[row][i] * query[i] as int32, where `query` holds dim int16 values.
 *
 * Per 16 dimensions it is two v128.load8x8_s (8 codes widened to int16), two v128.load of the query
 * and two i32x4.dot_i16x8_s (pmaddwd): about 6 machine instructions, against 16 multiply-adds and
 * as many bounds checks in a JavaScript loop. The inner loop is unrolled to 64 dimensions, so `dim`
 * must be a multiple of 64 (the index pads with zeros, which change no dot product).
 *
 * The memory is imported so that worker threads can scan parts of the same shared memory.
 */

const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Store: 0x36,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Shl: 0x74,
  simd: 0xfd,
} as const;
const simd = {
  v128Load: 0x00,
  v128Load8x8S: 0x01,
  i32x4Splat: 0x11,
  i32x4ExtractLane: 0x1b,
  i32x4Add: 0xae,
  i32x4DotI16x8S: 0xba,
} as const;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
/** Signed LEB128, as i32.const wants (64 in unsigned form would read as -64). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'utf8')];
const simdOp = (code: number, ...imm: number[]): number[] => [op.simd, ...uleb(code), ...imm];
const memarg = (offset: number): number[] => [0, ...uleb(offset)];

// Locals: 0 codes, 1 n, 2 dim, 3 query, 4 out (params); 5 q, 6 qEnd (i32); 7 acc (v128).
const [CODES, N, DIM, QUERY, OUT, Q, QEND, ACC] = [0, 1, 2, 3, 4, 5, 6, 7];
const get = (l: number) => [op.localGet, l];
const set = (l: number) => [op.localSet, l];
const addConst = (l: number, k: number) => [...get(l), op.i32Const, ...sleb(k), op.i32Add, ...set(l)];

/** acc += dot(codes[offset .. offset+16], query[offset .. offset+16]). */
function sixteen(offset: number): number[] {
  return [
    ...get(ACC),
    ...get(CODES), ...simdOp(simd.v128Load8x8S, ...memarg(offset)),
    ...get(Q), ...simdOp(simd.v128Load, ...memarg(offset * 2)),
    ...simdOp(simd.i32x4DotI16x8S),
    ...simdOp(simd.i32x4Add),
    ...get(CODES), ...simdOp(simd.v128Load8x8S, ...memarg(offset + 8)),
    ...get(Q), ...simdOp(simd.v128Load, ...memarg(offset * 2 + 16)),
    ...simdOp(simd.i32x4DotI16x8S),
    ...simdOp(simd.i32x4Add),
    ...set(ACC),
  ];
}

const body: number[] = [
  ...vec([[2, I32], [1, V128]]),
  op.block, 0x40,
  ...get(N), op.i32Eqz, op.brIf, 0,
  op.loop, 0x40,
  op.i32Const, 0, ...simdOp(simd.i32x4Splat), ...set(ACC),
  ...get(QUERY), ...set(Q),
  ...get(QUERY), ...get(DIM), op.i32Const, 1, op.i32Shl, op.i32Add, ...set(QEND),
  op.loop, 0x40,
  ...sixteen(0), ...sixteen(16), ...sixteen(32), ...sixteen(48),
  ...addConst(CODES, 64),
  ...get(Q), op.i32Const, ...sleb(128), op.i32Add, op.localTee, Q,
  ...get(QEND), op.i32LtU, op.brIf, 0,
  op.end,
  ...get(OUT),
  ...get(ACC), ...simdOp(simd.i32x4ExtractLane, 0),
  ...get(ACC), ...simdOp(simd.i32x4ExtractLane, 1), op.i32Add,
  ...get(ACC), ...simdOp(simd.i32x4ExtractLane, 2), op.i32Add,
  ...get(ACC), ...simdOp(simd.i32x4ExtractLane, 3), op.i32Add,
  op.i32Store, 2, 0,
  ...addConst(OUT, 4),
  ...get(N), op.i32Const, 1, op.i32Sub, op.localTee, N,
  op.brIf, 0,
  op.end,
  op.end,
  op.end,
];

/** The module's bytes; `shared` memory for scans split across worker threads. */
export function int8KernelBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const limits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), 0x00]])),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, ...limits]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('scan'), 0x00, 0]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

export type ScanFn = (codes: number, n: number, dim: number, query: number, out: number) => void;

export function instantiateKernel(memory: WebAssembly.Memory, shared: boolean): ScanFn {
  const module = new WebAssembly.Module(int8KernelBytes(shared));
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports.scan as ScanFn;
}

export const KERNEL_DIM_MULTIPLE = 64;
