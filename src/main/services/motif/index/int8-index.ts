import os from 'node:os';
import { AppError } from '../../../../shared/contract';
import { KERNEL_DIM_MULTIPLE, instantiateKernel, int8KernelBytes } from './int8-kernel';
import { dot } from './laclip';
import { ParallelScan } from './parallel-scan';
import { TopK } from './top-k';

/** Reads row `row` of the float32 vectors into `into` (the exact re-rank reads only a few hundred). */
export type RowReader = (row: number, into: Float32Array) => void;

export interface SearchHit {
  row: number;
  /** The exact float32 dot product <vector, query>. */
  score: number;
}

export interface Int8IndexOptions {
  /** Threads that scan (this one included); both cores of a laptop by default. */
  threads?: number;
  /** Below this many rows one thread scans alone (tests set 0 to exercise the threads on small data). */
  parallelMinRows?: number;
  /** Test-only: random pauses of up to this many ms in the threads' protocol (parallel-scan.ts). */
  scanJitterMs?: number;
}

export interface SearchOptions {
  /**
   * How many int8 candidates the first stage keeps (ten per result asked for, at least 100, by
   * default). They are re-ranked best estimate first until the error bound proves the rest cannot
   * enter the top k; should the list run out before that, every row the bound cannot rule out is
   * re-ranked too, so the answer is exact whatever this is.
   */
  candidates?: number;
}

// The query is scaled to +-4095: 127 * 4095 * dim stays far inside int32 for any dim up to 4096.
const QUERY_RANGE = 4095;
const PAGE = 65536;
/** First-stage candidates: at least this many, and ten per result asked for. */
const MIN_CANDIDATES = 100;
/**
 * Rows a thread claims at a time: small enough that a thread the OS has not yet woken costs the
 * query little (the others take its share), large enough that claiming (one atomic) is nothing next
 * to scanning (about 1 MiB of codes at 512 dimensions).
 */
const CHUNK_ROWS = 2048;
/** Below this many rows one thread scans alone: waking another costs more than the split saves. */
const DEFAULT_PARALLEL_MIN_ROWS = 2 * CHUNK_ROWS;

/**
 * Exact top-k by dot product over N stored vectors, from a compact index.
 *
 * Each vector is kept as int8 codes with its own scale (a quarter of float32's memory). A query is
 * scanned against every code with the SIMD kernel, the best `candidates` by that estimate are kept,
 * and those are re-ranked with their float32 vectors, read through a RowReader (from memory, or from
 * a file, so the float32 copy need not be resident).
 *
 * Exactness is proven, not hoped for: every row's estimate is within a bound of its exact score
 * (|<e_r, t>| + |<c_r, d>| <= |e_r| |t| + |c_r| |d|, with e_r the row's rounding residual, c_r its
 * dequantised codes and d the query's residual; the largest |e_r| and |c_r| are measured at build
 * time, |t| and |d| per query). Candidates are re-ranked best estimate first, and re-ranking stops
 * as soon as no row left can beat the k-th exact score: on CLIP-like data after a few dozen reads
 * (a fixed hundred before, the cost that made small stores slower than numpy), and past the list
 * when the data is so crowded that it must.
 *
 * The codes live in one WebAssembly memory, shared with helper threads that scan and select with
 * the searching thread, chunk by chunk (parallel-scan.ts).
 */
export class Int8VectorIndex {
  readonly count: number;
  readonly dim: number;
  private readonly padded: number;
  private readonly scales: Float32Array;
  private readonly memory: WebAssembly.Memory;
  private readonly queryCodes: Int16Array;
  private readonly dots: Int32Array;
  private readonly scanner: ParallelScan;
  private readonly parallelMinRows: number;
  /** The largest |e_r| (rounding residual) and |c_r| (dequantised codes) of any row: the error bound's parts. */
  private residualNorm = 0;
  private codesNorm = 0;
  private closed = false;

  private constructor(rowAt: (row: number) => Float32Array, count: number, dim: number, options: Int8IndexOptions) {
    if (!Number.isInteger(dim) || dim <= 0) throw new AppError('INVALID_INPUT', `A vector index needs a positive dimension, not ${dim}.`);
    this.count = count;
    this.dim = dim;
    this.padded = Math.ceil(dim / KERNEL_DIM_MULTIPLE) * KERNEL_DIM_MULTIPLE;
    this.parallelMinRows = options.parallelMinRows ?? DEFAULT_PARALLEL_MIN_ROWS;
    const threads = Math.max(1, Math.min(options.threads ?? Math.min(2, os.availableParallelism()), 16));
    const shared = threads > 1;
    // Layout: the scan's control words and helper lists | query (int16, padded) | dots (int32 per
    // row) | scales (float32 per row) | codes (int8, padded rows).
    const queryPtr = align(ParallelScan.reservedBytes(threads - 1), 64);
    const outPtr = align(queryPtr + this.padded * 2, 64);
    const scalesPtr = align(outPtr + count * 4, 64);
    const codesPtr = align(scalesPtr + count * 4, 64);
    const bytes = codesPtr + count * this.padded;
    if (bytes > 4 * 1024 ** 3 - PAGE) {
      throw new AppError('OUT_OF_MEMORY', `${count} vectors of dimension ${dim} need ${bytes} bytes of int8 codes; one index holds at most 4 GiB.`);
    }
    const pages = Math.ceil(bytes / PAGE) + 1;
    this.memory = shared ? new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }) : new WebAssembly.Memory({ initial: pages });
    // Views made once: the memory never grows, and a shared memory's buffer getter allocates.
    const buffer = this.memory.buffer;
    this.queryCodes = new Int16Array(buffer, queryPtr, this.padded);
    this.dots = new Int32Array(buffer, outPtr, count);
    this.scales = new Float32Array(buffer, scalesPtr, count);
    const codes = new Int8Array(buffer, codesPtr, count * this.padded);
    for (let r = 0; r < count; r++) {
      const v = rowAt(r);
      if (v.length !== dim) throw new AppError('INVALID_INPUT', `Row ${r} has dimension ${v.length}, not ${dim}.`);
      let max = 0;
      for (let i = 0; i < dim; i++) max = Math.max(max, Math.abs(v[i]!));
      const scale = max / 127;
      this.scales[r] = scale;
      if (scale === 0) continue;
      const inv = 1 / scale;
      const out = r * this.padded;
      // The residual is measured against the float32 scale that estimates are made with.
      const stored = this.scales[r]!;
      let residual = 0;
      let dequantised = 0;
      for (let i = 0; i < dim; i++) {
        const code = Math.round(v[i]! * inv);
        codes[out + i] = code;
        residual += (v[i]! - stored * code) ** 2;
        dequantised += (stored * code) ** 2;
      }
      this.residualNorm = Math.max(this.residualNorm, Math.sqrt(residual));
      this.codesNorm = Math.max(this.codesNorm, Math.sqrt(dequantised));
    }
    const layout = { codes: codesPtr, query: queryPtr, out: outPtr, scales: scalesPtr, dim: this.padded, count };
    this.scanner = new ParallelScan(
      this.memory,
      instantiateKernel(this.memory, shared),
      layout,
      threads - 1,
      int8KernelBytes(shared),
      CHUNK_ROWS,
      options.scanJitterMs,
    );
  }

  /** An index of `count` float32 vectors of dimension `dim`, laid out row after row. */
  static build(vectors: Float32Array, dim: number, options: Int8IndexOptions = {}): Int8VectorIndex {
    const count = vectors.length / dim;
    if (!Number.isInteger(count)) throw new AppError('INVALID_INPUT', `${vectors.length} numbers are not whole vectors of dimension ${dim}.`);
    return new Int8VectorIndex((r) => vectors.subarray(r * dim, (r + 1) * dim), count, dim, options);
  }

  /**
   * An index of `count` vectors handed over one row at a time, in row order, so a caller that reads
   * them from a file or computes them never holds all the float32 vectors at once.
   */
  static fromRows(count: number, dim: number, rowAt: (row: number) => Float32Array, options: Int8IndexOptions = {}): Int8VectorIndex {
    if (!Number.isInteger(count) || count < 0) throw new AppError('INVALID_INPUT', `A vector index holds a whole number of rows, not ${count}.`);
    return new Int8VectorIndex(rowAt, count, dim, options);
  }

  /** Bytes the index holds in memory (codes, scales, scratch). */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** The share of chunks that helper threads scanned so far (0 when they never got there first). */
  get helperShare(): number {
    const { helperChunks, chunks } = this.scanner.tally;
    return chunks === 0 ? 0 : helperChunks / chunks;
  }

  get threads(): number {
    return this.scanner.helpers + 1;
  }

  /** Int8 estimates of <vector, query> for every row (the first stage, exposed for tests and tools). */
  async estimate(query: Float32Array): Promise<Float32Array> {
    const { scale: qScale } = this.scanAll(query, null);
    return Float32Array.from(this.dots, (d, r) => d * this.scales[r]! * qScale);
  }

  /** The first stage alone: the n rows of highest int8 estimate, best first (exposed for tests and tools). */
  async firstStage(query: Float32Array, n: number): Promise<SearchHit[]> {
    if (!Number.isInteger(n) || n < 1) throw new AppError('INVALID_INPUT', `n must be a whole number of at least 1, not ${n}.`);
    if (this.count === 0) return [];
    const top = new TopK(Math.min(n, this.count));
    const { scale } = this.scanAll(query, top);
    return top.sorted().map((c) => ({ row: c.row, score: c.score * scale }));
  }

  /** The k rows of highest exact dot product with `query`, best first. */
  async search(query: Float32Array, k: number, read: RowReader, options: SearchOptions = {}): Promise<SearchHit[]> {
    if (!Number.isInteger(k) || k < 1) throw new AppError('INVALID_INPUT', `k must be a whole number of at least 1, not ${k}.`);
    if (this.count === 0) return [];
    const wanted = Math.min(this.count, Math.max(k, options.candidates ?? Math.max(MIN_CANDIDATES, 10 * k)));
    // The first stage ranks by dots * row scale: the query's scale is common to every row and
    // cannot change the order, so it is applied only to the few estimates compared with exact scores.
    const top = new TopK(wanted);
    const { scale: qScale, bound } = this.scanAll(query, top);
    // A zero query scores every row 0: the top k are the first k rows, as ties go to the lower row.
    if (qScale === 0) return Array.from({ length: Math.min(k, this.count) }, (_, r) => ({ row: r, score: 0 }));
    const dots = this.dots;
    const scales = this.scales;
    const row = new Float32Array(this.dim);
    const exact = new TopK(Math.min(k, this.count));
    const rerank = (r: number) => {
      read(r, row);
      exact.offer(r, dot(row, query));
    };
    // Can a row whose estimate (unscaled) is this still enter the exact top k?
    const couldEnter = (estimate: number) => !exact.full || !(estimate * qScale + bound < exact.worstScore);
    const candidates = top.sorted();
    // The bound argument below needs the whole list: a short one means the scan lost rows.
    if (candidates.length !== wanted) {
      throw new AppError('INTERNAL', `The vector scan kept ${candidates.length} of ${wanted} first-stage candidates.`);
    }
    let proven = false;
    for (const c of candidates) {
      if (!couldEnter(c.score)) {
        proven = true;
        break;
      }
      rerank(c.row);
    }
    // Rows outside the list estimate no higher than its last: if even those could enter, look at all.
    const floor = candidates[wanted - 1]!.score;
    if (!proven && candidates.length < this.count && couldEnter(floor)) {
      const seen = new Set(candidates.map((c) => c.row));
      for (let r = 0; r < dots.length; r++) if (!seen.has(r) && couldEnter(dots[r]! * scales[r]!)) rerank(r);
    }
    return exact.sorted();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.scanner.close();
  }

  /**
   * Fills the int32 dot products of every row, and offers every row's estimate to `top` if given;
   * returns the query's scale and the error bound of every estimate, |e| |t| + |c| |d| in the
   * largest row's terms (see the class comment).
   */
  private scanAll(query: Float32Array, top: TopK | null): { scale: number; bound: number } {
    if (this.closed) throw new AppError('INVALID_INPUT', 'The vector index is closed.');
    if (query.length !== this.dim) throw new AppError('INVALID_INPUT', `The query has dimension ${query.length}; the index holds dimension ${this.dim}.`);
    let max = 0;
    let norm = 0;
    for (let i = 0; i < this.dim; i++) {
      max = Math.max(max, Math.abs(query[i]!));
      norm += query[i]! * query[i]!;
    }
    const qScale = max === 0 ? 0 : max / QUERY_RANGE;
    const q = this.queryCodes;
    q.fill(0);
    let residual = 0;
    if (qScale > 0) {
      for (let i = 0; i < this.dim; i++) {
        const code = Math.round(query[i]! / qScale);
        q[i] = code;
        residual += (query[i]! - qScale * code) ** 2;
      }
    }
    // A relative millionth on top covers the float rounding of the estimates and of the bound itself.
    const bound = (this.residualNorm * Math.sqrt(norm) + this.codesNorm * Math.sqrt(residual)) * (1 + 1e-6) + 1e-12;

    this.scanner.run(top, this.count >= Math.max(this.parallelMinRows, 1));
    return { scale: qScale, bound };
  }
}

const align = (n: number, to: number) => Math.ceil(n / to) * to;
