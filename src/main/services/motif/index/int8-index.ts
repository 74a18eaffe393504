import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../../shared/contract';
import { KERNEL_DIM_MULTIPLE, instantiateKernel, int8KernelBytes, type ScanFn } from './int8-kernel';
import { dot } from './laclip';
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
}

export interface SearchOptions {
  /** How many int8 candidates are re-ranked exactly; ten per result asked for, at least 100, by default. */
  candidates?: number;
}

// The query is scaled to +-4095: 127 * 4095 * dim stays far inside int32 for any dim up to 4096.
const QUERY_RANGE = 4095;
const PAGE = 65536;
/** Candidates re-ranked exactly: at least this many, and ten per result asked for. */
const MIN_CANDIDATES = 100;
/**
 * Below this many rows one thread scans alone: a hand-off to a worker costs about as much as
 * scanning 30k rows of 512 dimensions, and the benchmark's small sizes showed it.
 */
const DEFAULT_PARALLEL_MIN_ROWS = 32_768;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const module = new WebAssembly.Module(workerData.bytes);
const scan = new WebAssembly.Instance(module, { env: { memory: workerData.memory } }).exports.scan;
parentPort.on('message', (m) => { scan(m.codes, m.n, m.dim, m.query, m.out); parentPort.postMessage(m.id); });
`;

/**
 * Exact top-k by dot product over N stored vectors, from a compact index.
 *
 * Each vector is kept as int8 codes with its own scale (a quarter of float32's memory). A query is
 * scanned against every code with the SIMD kernel, the best `candidates` by that estimate are kept,
 * and those are re-ranked with their float32 vectors, read through a RowReader (from memory, or from
 * a file, so the float32 copy need not be resident). The estimate's error is far below the gap
 * between the k-th and the candidates-th score of real embeddings, so the re-ranked top k is the
 * float32 top k; the benchmark (npm run bench:motifs) counts the queries where it is not.
 *
 * The codes live in one WebAssembly memory, shared with worker threads that each scan a slice of
 * the rows, so a query uses every core it is given.
 */
export class Int8VectorIndex {
  readonly count: number;
  readonly dim: number;
  private readonly padded: number;
  private readonly scales: Float32Array;
  private readonly memory: WebAssembly.Memory;
  private readonly scan: ScanFn;
  private readonly queryPtr: number;
  private readonly outPtr: number;
  private readonly codesPtr: number;
  private readonly workers: Worker[] = [];
  private readonly parallelMinRows: number;
  private nextMessage = 0;
  private closed = false;

  private constructor(rowAt: (row: number) => Float32Array, count: number, dim: number, options: Int8IndexOptions) {
    if (!Number.isInteger(dim) || dim <= 0) throw new AppError('INVALID_INPUT', `A vector index needs a positive dimension, not ${dim}.`);
    this.count = count;
    this.dim = dim;
    this.padded = Math.ceil(dim / KERNEL_DIM_MULTIPLE) * KERNEL_DIM_MULTIPLE;
    this.parallelMinRows = options.parallelMinRows ?? DEFAULT_PARALLEL_MIN_ROWS;
    const threads = Math.max(1, Math.min(options.threads ?? Math.min(2, os.availableParallelism()), 16));
    const shared = threads > 1;
    // Layout: query (int16, padded) | scores (int32 per row) | codes (int8, padded rows).
    this.queryPtr = 0;
    this.outPtr = align(this.padded * 2, 64);
    this.codesPtr = align(this.outPtr + count * 4, 64);
    const bytes = this.codesPtr + count * this.padded;
    if (bytes > 4 * 1024 ** 3 - PAGE) {
      throw new AppError('OUT_OF_MEMORY', `${count} vectors of dimension ${dim} need ${bytes} bytes of int8 codes; one index holds at most 4 GiB.`);
    }
    const pages = Math.ceil(bytes / PAGE) + 1;
    this.memory = shared ? new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }) : new WebAssembly.Memory({ initial: pages });
    this.scan = instantiateKernel(this.memory, shared);
    this.scales = new Float32Array(count);
    const codes = new Int8Array(this.memory.buffer, this.codesPtr, count * this.padded);
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
      for (let i = 0; i < dim; i++) codes[out + i] = Math.round(v[i]! * inv);
    }
    const kernel = int8KernelBytes(shared);
    for (let t = 1; t < threads; t++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bytes: kernel, memory: this.memory } });
      worker.unref();
      this.workers.push(worker);
    }
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
    return this.memory.buffer.byteLength + this.scales.byteLength;
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  /** Int8 estimates of <vector, query> for every row (the first stage, exposed for tests and tools). */
  async estimate(query: Float32Array): Promise<Float32Array> {
    const qScale = await this.scanAll(query);
    const dots = new Int32Array(this.memory.buffer, this.outPtr, this.count);
    return Float32Array.from(dots, (d, r) => d * this.scales[r]! * qScale);
  }

  /** The k rows of highest exact dot product with `query`, best first. */
  async search(query: Float32Array, k: number, read: RowReader, options: SearchOptions = {}): Promise<SearchHit[]> {
    if (!Number.isInteger(k) || k < 1) throw new AppError('INVALID_INPUT', `k must be a whole number of at least 1, not ${k}.`);
    await this.scanAll(query);
    const wanted = Math.min(this.count, Math.max(k, options.candidates ?? Math.max(MIN_CANDIDATES, 10 * k)));
    const top = new TopK(wanted);
    // The query's scale is common to every row and cannot change the order: left out here.
    const dots = new Int32Array(this.memory.buffer, this.outPtr, this.count);
    const scales = this.scales;
    let worst = -Infinity;
    for (let r = 0; r < dots.length; r++) {
      const estimate = dots[r]! * scales[r]!;
      if (estimate <= worst) continue;
      top.offer(r, estimate);
      if (top.full) worst = top.worstScore;
    }
    const row = new Float32Array(this.dim);
    const exact = new TopK(Math.min(k, wanted));
    for (const candidate of top.rows()) {
      read(candidate, row);
      exact.offer(candidate, dot(row, query));
    }
    return exact.sorted().map(({ row: r, score }) => ({ row: r, score }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.workers) void w.terminate();
  }

  /** Fills the int32 dot products of every row; returns the query's scale. */
  private async scanAll(query: Float32Array): Promise<number> {
    if (this.closed) throw new AppError('INVALID_INPUT', 'The vector index is closed.');
    if (query.length !== this.dim) throw new AppError('INVALID_INPUT', `The query has dimension ${query.length}; the index holds dimension ${this.dim}.`);
    let max = 0;
    for (let i = 0; i < this.dim; i++) max = Math.max(max, Math.abs(query[i]!));
    const qScale = max === 0 ? 0 : max / QUERY_RANGE;
    const q = new Int16Array(this.memory.buffer, this.queryPtr, this.padded);
    q.fill(0);
    if (qScale > 0) for (let i = 0; i < this.dim; i++) q[i] = Math.round(query[i]! / qScale);

    const slices = this.count < this.parallelMinRows ? 1 : this.workers.length + 1;
    const per = Math.ceil(this.count / slices);
    const pending: Promise<void>[] = [];
    for (let w = 0; w < slices - 1; w++) {
      const start = (w + 1) * per;
      const n = Math.max(0, Math.min(per, this.count - start));
      if (n > 0) pending.push(this.onWorker(this.workers[w]!, start, n));
    }
    this.scan(this.codesPtr, Math.min(per, this.count), this.padded, this.queryPtr, this.outPtr);
    await Promise.all(pending);
    return qScale;
  }

  private onWorker(worker: Worker, start: number, n: number): Promise<void> {
    const id = this.nextMessage++;
    return new Promise((resolve, reject) => {
      const onMessage = (answer: number) => {
        if (answer !== id) return;
        worker.off('message', onMessage);
        worker.off('error', onError);
        resolve();
      };
      const onError = (err: Error) => {
        worker.off('message', onMessage);
        reject(new AppError('INTERNAL', `A vector scan thread failed: ${err.message}`));
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.postMessage({ id, codes: this.codesPtr + start * this.padded, n, dim: this.padded, query: this.queryPtr, out: this.outPtr + start * 4 });
    });
  }
}

const align = (n: number, to: number) => Math.ceil(n / to) * to;
