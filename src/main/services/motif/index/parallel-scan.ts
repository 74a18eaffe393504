import { Worker } from 'node:worker_threads';
import { AppError } from '../../../../shared/contract';
import type { ScanFn } from './int8-kernel';
import { TopK } from './top-k';

/**
 * One query's scan of an Int8VectorIndex split across threads that share its WebAssembly memory.
 *
 * The rows are cut into chunks that the searching thread and its helpers claim with an atomic
 * counter; a thread scans the chunk it claimed and at once offers the chunk's estimates (still in
 * cache) to its own top list. So a query uses every core that is free, never waits for a helper the
 * OS has not woken yet (the others take its share), and the first-stage selection runs in parallel
 * too. At the end the searching thread merges the helpers' lists into its own.
 *
 * The protocol, on Int32 control words at the start of the memory (all accesses atomic):
 *   post:   SELECT = list size, DONE = 0, NEXT = tag(gen) << 16 | 0, GEN = gen, notify GEN.
 *   claim:  compare-and-swap NEXT from (tag, c) to (tag, c + 1) while the tag is the claimer's and
 *           c < chunks; the tag keeps a helper that woke for an older query from taking a chunk of
 *           a newer one under the old query's name.
 *   helper: claims and scans; SCANNED[w] = gen before its first DONE += 1; once a claim fails,
 *           COUNT[w] = its list's size, PUBLISHED[w] = gen.
 *   finish: once every chunk is claimed, the searching thread waits for DONE = chunks (so every
 *           SCANNED mark is in), then for PUBLISHED[w] = gen from each helper with SCANNED[w] = gen.
 *           A helper that scanned nothing is not waited for, however late the OS wakes it.
 */

/** Largest list a helper keeps (the first stage asks for 100 by default); past it the searching thread selects alone. */
export const HELPER_LIST = 1024;
const HELPER_BYTES = HELPER_LIST * 12;
const MAX_HELPERS = 15;
/** Control words: GEN, NEXT, DONE, STOP, SELECT, then SCANNED, PUBLISHED, COUNT per helper. */
const [GEN, NEXT, DONE, STOP, SELECT] = [0, 1, 2, 3, 4];
const SCANNED = (w: number) => 8 + w;
const PUBLISHED = (w: number) => 8 + MAX_HELPERS + w;
const COUNT = (w: number) => 8 + 2 * MAX_HELPERS + w;
const CONTROL_BYTES = 256;
/** A thread that holds a claimed chunk this long has died or hung: the query fails loudly. */
const STALL_MS = 30_000;
const TAG_MASK = 0x7fff;
const MAX_CHUNKS = 0xffff;

export interface ScanLayout {
  /** Byte offsets in the memory: int8 codes (rows of `dim`), int16 query, int32 dots out, float32 row scales. */
  codes: number;
  query: number;
  out: number;
  scales: number;
  /** The padded dimension (a row's bytes of codes). */
  dim: number;
  count: number;
}

const WORKER_SOURCE = `
const { workerData: d } = require('node:worker_threads');
const scan = new WebAssembly.Instance(new WebAssembly.Module(d.bytes), { env: { memory: d.memory } }).exports.scan;
const buf = d.memory.buffer;
const ctrl = new Int32Array(buf, 0, ${CONTROL_BYTES / 4});
const dots = new Int32Array(buf, d.out, d.count);
const scales = new Float32Array(buf, d.scales, d.count);
const est = new Float64Array(buf, d.list, ${HELPER_LIST});
const rows = new Int32Array(buf, d.list + ${HELPER_LIST * 8}, ${HELPER_LIST});
const w = d.helper;
let size = 0;
let want = 0;
// TopK's order: lower estimate is worse, and at equal estimates the higher row.
const worse = (e1, r1, e2, r2) => e1 < e2 || (e1 === e2 && r1 > r2);
function offer(r, e) {
  if (size < want) {
    let i = size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(e, r, est[p], rows[p])) break;
      est[i] = est[p]; rows[i] = rows[p]; i = p;
    }
    est[i] = e; rows[i] = r;
    return;
  }
  if (!worse(est[0], rows[0], e, r)) return;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) break;
    const c = l + 1 < size && worse(est[l + 1], rows[l + 1], est[l], rows[l]) ? l + 1 : l;
    if (!worse(est[c], rows[c], e, r)) break;
    est[i] = est[c]; rows[i] = rows[c]; i = c;
  }
  est[i] = e; rows[i] = r;
}
function claim(tag) {
  for (;;) {
    const v = Atomics.load(ctrl, ${NEXT});
    if ((v >>> 16) !== tag || (v & 0xffff) >= d.chunks) return -1;
    if (Atomics.compareExchange(ctrl, ${NEXT}, v, v + 1) === v) return v & 0xffff;
  }
}
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, ${GEN}, seen);
  if (Atomics.load(ctrl, ${STOP}) !== 0) break;
  seen = Atomics.load(ctrl, ${GEN});
  want = Atomics.load(ctrl, ${SELECT});
  size = 0;
  let scanned = false;
  for (let chunk = claim(seen & ${TAG_MASK}); chunk >= 0; chunk = claim(seen & ${TAG_MASK})) {
    const start = chunk * d.chunkRows;
    const end = Math.min(start + d.chunkRows, d.count);
    scan(d.codes + start * d.dim, end - start, d.dim, d.query, d.out + start * 4);
    if (want > 0) {
      let floor = -Infinity;
      for (let r = start; r < end; r++) {
        const e = dots[r] * scales[r];
        if (e < floor) continue;
        offer(r, e);
        if (size === want) floor = est[0];
      }
    }
    if (!scanned) {
      scanned = true;
      Atomics.store(ctrl, ${SCANNED(0)} + w, seen);
    }
    if (Atomics.add(ctrl, ${DONE}, 1) + 1 === d.chunks) Atomics.notify(ctrl, ${DONE});
  }
  Atomics.store(ctrl, ${COUNT(0)} + w, size);
  Atomics.store(ctrl, ${PUBLISHED(0)} + w, seen);
  Atomics.notify(ctrl, ${PUBLISHED(0)} + w);
}
`;

/** Offers rows start..end to `top` by estimate dots[r] * scales[r] (what every thread ranks by). */
export function selectRows(top: TopK, dots: Int32Array, scales: Float32Array, start: number, end: number): void {
  let floor = top.full ? top.worstScore : -Infinity;
  for (let r = start; r < end; r++) {
    const estimate = dots[r]! * scales[r]!;
    // Equal to the floor may still win on the lower row (the rows do not come in order): offer decides.
    if (estimate < floor) continue;
    top.offer(r, estimate);
    if (top.full) floor = top.worstScore;
  }
}

export class ParallelScan {
  private readonly control: Int32Array;
  private readonly lists: { est: Float64Array; rows: Int32Array }[] = [];
  private readonly workers: Worker[] = [];
  private readonly dots: Int32Array;
  private readonly scales: Float32Array;
  readonly chunkRows: number;
  readonly chunks: number;
  private generation = 0;
  private failure: Error | null = null;
  /** Chunks scanned by helpers and by all threads, since the start (the benchmark prints the share). */
  readonly tally = { helperChunks: 0, chunks: 0 };

  /** Bytes the scan needs at the start of the memory for `helpers` helper threads. */
  static reservedBytes(helpers: number): number {
    return CONTROL_BYTES + Math.min(helpers, MAX_HELPERS) * HELPER_BYTES;
  }

  constructor(
    memory: WebAssembly.Memory,
    private readonly scan: ScanFn,
    private readonly layout: ScanLayout,
    helpers: number,
    kernel: Uint8Array,
    chunkRows: number,
  ) {
    const buffer = memory.buffer;
    this.control = new Int32Array(buffer, 0, CONTROL_BYTES / 4);
    this.dots = new Int32Array(buffer, layout.out, layout.count);
    this.scales = new Float32Array(buffer, layout.scales, layout.count);
    // Chunks are counted in 16 bits of NEXT: a huge index of tiny rows takes bigger chunks.
    this.chunkRows = Math.max(chunkRows, Math.ceil(layout.count / MAX_CHUNKS));
    this.chunks = Math.ceil(layout.count / this.chunkRows);
    for (let w = 0; w < Math.min(helpers, MAX_HELPERS); w++) {
      const list = CONTROL_BYTES + w * HELPER_BYTES;
      this.lists.push({ est: new Float64Array(buffer, list, HELPER_LIST), rows: new Int32Array(buffer, list + HELPER_LIST * 8, HELPER_LIST) });
      const workerData = { bytes: kernel, memory, ...layout, list, helper: w, chunks: this.chunks, chunkRows: this.chunkRows };
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
      worker.unref();
      // A helper that dies mid-chunk would leave the query waiting: the next wait reports it instead.
      worker.on('error', (err: Error) => {
        this.failure ??= err;
      });
      this.workers.push(worker);
    }
  }

  get helpers(): number {
    return this.workers.length;
  }

  /**
   * Fills the dots of every row and, given `top`, offers every row's estimate to it. Helpers join
   * only where there are two chunks or more and `parallel` allows.
   */
  run(top: TopK | null, parallel: boolean): void {
    const { codes, dim, query, out, count } = this.layout;
    if (this.workers.length === 0 || !parallel || this.chunks < 2) {
      this.scan(codes, count, dim, query, out);
      if (top) selectRows(top, this.dots, this.scales, 0, count);
      return;
    }
    const ctrl = this.control;
    // Kept in int32 range, as the control words hold it.
    const gen = (this.generation = (this.generation + 1) | 0);
    const tag = gen & TAG_MASK;
    // Helpers keep lists only up to HELPER_LIST; a longer one is selected here, after the scan.
    const helperList = top && top.k <= HELPER_LIST ? top.k : 0;
    Atomics.store(ctrl, SELECT, helperList);
    Atomics.store(ctrl, DONE, 0);
    Atomics.store(ctrl, NEXT, tag << 16);
    Atomics.store(ctrl, GEN, gen);
    Atomics.notify(ctrl, GEN);
    let own = 0;
    for (;;) {
      const v = Atomics.load(ctrl, NEXT);
      const chunk = v & 0xffff;
      if (chunk >= this.chunks) break;
      if (Atomics.compareExchange(ctrl, NEXT, v, v + 1) !== v) continue;
      const start = chunk * this.chunkRows;
      const end = Math.min(start + this.chunkRows, count);
      this.scan(codes + start * dim, end - start, dim, query, out + start * 4);
      if (top && helperList > 0) selectRows(top, this.dots, this.scales, start, end);
      Atomics.add(ctrl, DONE, 1);
      own++;
    }
    this.tally.chunks += this.chunks;
    this.tally.helperChunks += this.chunks - own;
    const deadline = Date.now() + STALL_MS;
    this.waitFor(DONE, (v) => v >= this.chunks, deadline);
    if (!top) return;
    if (helperList === 0) {
      selectRows(top, this.dots, this.scales, 0, count);
      return;
    }
    this.lists.forEach((list, w) => {
      if (Atomics.load(ctrl, SCANNED(w)) !== gen) return;
      this.waitFor(PUBLISHED(w), (v) => v === gen, deadline);
      const n = Atomics.load(ctrl, COUNT(w));
      for (let i = 0; i < n; i++) top.offer(list.rows[i]!, list.est[i]!);
    });
  }

  close(): void {
    if (this.workers.length === 0) return;
    Atomics.store(this.control, STOP, 1);
    Atomics.add(this.control, GEN, 1);
    Atomics.notify(this.control, GEN);
    for (const w of this.workers) void w.terminate();
  }

  private waitFor(word: number, ok: (v: number) => boolean, deadline: number): void {
    for (let v = Atomics.load(this.control, word); !ok(v); v = Atomics.load(this.control, word)) {
      if (this.failure) throw new AppError('INTERNAL', `A vector scan thread failed: ${this.failure.message}`);
      if (Date.now() > deadline) throw new AppError('INTERNAL', 'A vector scan thread stopped in the middle of a query.');
      if (CAN_BLOCK) Atomics.wait(this.control, word, v, 50);
    }
  }
}

/** Whether this thread may block in Atomics.wait (Node's main thread may; a browser's may not): else it spins. */
const CAN_BLOCK = (() => {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
})();
