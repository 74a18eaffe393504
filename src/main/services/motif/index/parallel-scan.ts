import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
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
 * too. At the end the searching thread merges the lists of the helpers that scanned into its own.
 *
 * The protocol. Every search has its own generation g (1 .. 2^31 - 1, counting on from the last).
 * Shared words, every access atomic: GEN, SELECT, DONE, STOP (int32); NEXT (int64: g in the high
 * half, the next unclaimed chunk in the low half); per helper w: SCANNED[w], COUNT[w], PUBLISHED[w]
 * (int32), beside w's list (estimates, rows).
 *   post (searching thread): SELECT = list size; DONE = 0; NEXT = (g, 0); GEN = g; notify GEN.
 *   claim (a thread for g):  compare-and-swap NEXT from (g, c) to (g, c + 1), only while c < chunks.
 *   helper: sleeps while GEN equals the last generation it took (a wake-up is only a hint), then
 *           takes g = GEN, reads SELECT and claims; per chunk: dots and list, then SCANNED[w] = g
 *           (first chunk only), then DONE += 1. Once a claim fails, if it scanned anything:
 *           COUNT[w] = its list's size, then PUBLISHED[w] = g.
 *   finish (searching thread): claims and scans until no chunk is left, waits for DONE = chunks,
 *           then for PUBLISHED[w] = g from every helper with SCANNED[w] = g, and merges those lists.
 *
 * Why it is right.
 * (1) Every chunk of g is scanned once, by a thread working for g: a claim succeeds only on
 *     NEXT = (g, c), and only the post of g puts g there. A helper that claims in g read SELECT
 *     after GEN = g and before its claim, when no later post had begun (a later post begins only
 *     after every chunk of g is done), so it selects g's list size.
 * (2) DONE counts g's chunks only: it is reset before NEXT admits claims of g, and the previous
 *     search returned only after its own DONE reached its chunk count, i.e. after every increment
 *     it would ever get. So DONE = chunks means every dot of g is written and every helper that
 *     scanned in g has SCANNED[w] = g; a helper with SCANNED[w] != g holds none of g's rows and is
 *     not waited for, however late the OS wakes it.
 * (3) A helper takes each generation at most once, in the order posted, and writes its list and
 *     COUNT[w] only in a generation in which it claimed a chunk, all before PUBLISHED[w] = g. Its
 *     next writes belong to a later generation, which exists only after a later post, which waits
 *     for this search to end. So the list merged is exactly that helper's list for g.
 *     The crash of issue 17 broke (3): a helper took GEN whenever it woke, even a generation it had
 *     served, and published whether it had scanned or not. A helper still on its way back from the
 *     last search when GEN was stored took g at once; the searching thread, paused between storing
 *     GEN and notifying, let it scan every chunk, publish and sleep on GEN = g; the late notify woke
 *     it, it ran g again with an empty list and published COUNT[w] = 0 over its real list under the
 *     same PUBLISHED[w] = g. The searching thread, which had scanned nothing, merged nothing.
 * (4) Generations come round again after 2^31 - 1 searches: a helper would have to stall that long
 *     between reading GEN and claiming to take a chunk under the wrong name. NEXT holds all 32 bits
 *     of g (a 15-bit tag before) to make that moot.
 *
 * A search that fails (a helper died, or held a chunk STALL_MS) breaks (2): a helper may still
 * write dots and add to DONE. The scanner then retires its helpers and, once all have exited, scans
 * alone.
 */

/** Largest list a helper keeps (the first stage asks for 100 by default); past it the searching thread selects alone. */
export const HELPER_LIST = 1024;
const HELPER_BYTES = HELPER_LIST * 12;
const MAX_HELPERS = 15;
/** Int32 control words; NEXT is the int64 at int32 words 4 and 5. */
const [GEN, STOP, SELECT, DONE] = [0, 1, 2, 3];
const NEXT = 2;
const SCANNED = (w: number) => 8 + w;
const PUBLISHED = (w: number) => 8 + MAX_HELPERS + w;
const COUNT = (w: number) => 8 + 2 * MAX_HELPERS + w;
const CONTROL_BYTES = 256;
const MAX_GENERATION = 0x7fffffff;
/** A thread that holds a claimed chunk this long has died or hung: the query fails loudly. */
const STALL_MS = 30_000;

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

/**
 * Random pauses at every step of the protocol, up to `jitterMs` each, a quarter of the time: the
 * stress test widens every window between two steps with them. Nothing when 0; the helpers
 * pause alike.
 */
function pauser(jitterMs: number): () => void {
  if (!(jitterMs > 0)) return () => {};
  const nap = new Int32Array(new SharedArrayBuffer(4));
  return () => {
    if (Math.random() < 0.25) Atomics.wait(nap, 0, 0, Math.random() * jitterMs);
  };
}

const WORKER_SOURCE = `
const { workerData: d } = require('node:worker_threads');
const scan = new WebAssembly.Instance(new WebAssembly.Module(d.bytes), { env: { memory: d.memory } }).exports.scan;
const buf = d.memory.buffer;
const ctrl = new Int32Array(buf, 0, ${CONTROL_BYTES / 4});
const next = new BigInt64Array(buf, 0, ${CONTROL_BYTES / 8});
const dots = new Int32Array(buf, d.out, d.count);
const scales = new Float32Array(buf, d.scales, d.count);
const est = new Float64Array(buf, d.list, ${HELPER_LIST});
const rows = new Int32Array(buf, d.list + ${HELPER_LIST * 8}, ${HELPER_LIST});
const w = d.helper;
const chunks = BigInt(d.chunks);
const nap = new Int32Array(new SharedArrayBuffer(4));
const pause = () => { if (d.jitterMs > 0 && Math.random() < 0.25) Atomics.wait(nap, 0, 0, Math.random() * d.jitterMs); };
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
// The same claim as ParallelScan.claim.
function claim(gen) {
  const g = BigInt(gen);
  for (;;) {
    const v = Atomics.load(next, ${NEXT});
    const c = v & 0xffffffffn;
    if (v >> 32n !== g || c >= chunks) return -1;
    if (Atomics.compareExchange(next, ${NEXT}, v, v + 1n) === v) return Number(c);
  }
}
let seen = 0;
for (;;) {
  let gen;
  while ((gen = Atomics.load(ctrl, ${GEN})) === seen) Atomics.wait(ctrl, ${GEN}, seen);
  if (Atomics.load(ctrl, ${STOP}) !== 0) break;
  seen = gen;
  pause();
  want = Atomics.load(ctrl, ${SELECT});
  size = 0;
  let scanned = false;
  for (let chunk = claim(gen); chunk >= 0; chunk = claim(gen)) {
    pause();
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
      Atomics.store(ctrl, ${SCANNED(0)} + w, gen);
    }
    pause();
    if (Atomics.add(ctrl, ${DONE}, 1) + 1 === d.chunks) Atomics.notify(ctrl, ${DONE});
  }
  if (scanned) {
    pause();
    Atomics.store(ctrl, ${COUNT(0)} + w, size);
    pause();
    Atomics.store(ctrl, ${PUBLISHED(0)} + w, gen);
    Atomics.notify(ctrl, ${PUBLISHED(0)} + w);
  }
  pause();
}
`;

/** Offers rows start..end to `top` by estimate dots[r] * scales[r] (what every thread ranks by). */
function selectRows(top: TopK, dots: Int32Array, scales: Float32Array, start: number, end: number): void {
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
  private readonly next: BigInt64Array;
  private readonly chunkCount: bigint;
  private readonly pause: () => void;
  private readonly lists: { est: Float64Array; rows: Int32Array }[] = [];
  private readonly workers: Worker[] = [];
  private readonly dots: Int32Array;
  private readonly scales: Float32Array;
  private generation = 0;
  private failure: Error | null = null;
  private retired = false;
  /** Helpers not yet exited: a retired scanner scans alone only once none can write any more. */
  private running = 0;
  readonly chunks: number;
  /** Chunks scanned by helpers and by all threads, since the start (the benchmark prints the share). */
  readonly tally = { helperChunks: 0, chunks: 0 };

  /** Bytes the scan needs at the start of the memory for `helpers` helper threads. */
  static reservedBytes(helpers: number): number {
    return CONTROL_BYTES + Math.min(helpers, MAX_HELPERS) * HELPER_BYTES;
  }

  /** `jitterMs`: random pauses in the protocol, for the stress test only (see pauser). */
  constructor(
    memory: WebAssembly.Memory,
    private readonly scan: ScanFn,
    private readonly layout: ScanLayout,
    helpers: number,
    kernel: Uint8Array,
    readonly chunkRows: number,
    jitterMs = 0,
  ) {
    const buffer = memory.buffer;
    this.control = new Int32Array(buffer, 0, CONTROL_BYTES / 4);
    this.next = new BigInt64Array(buffer, 0, CONTROL_BYTES / 8);
    this.dots = new Int32Array(buffer, layout.out, layout.count);
    this.scales = new Float32Array(buffer, layout.scales, layout.count);
    this.chunks = Math.ceil(layout.count / chunkRows);
    this.chunkCount = BigInt(this.chunks);
    this.pause = pauser(jitterMs);
    for (let w = 0; w < Math.min(helpers, MAX_HELPERS); w++) {
      const list = CONTROL_BYTES + w * HELPER_BYTES;
      this.lists.push({ est: new Float64Array(buffer, list, HELPER_LIST), rows: new Int32Array(buffer, list + HELPER_LIST * 8, HELPER_LIST) });
      const workerData = { bytes: kernel, memory, ...layout, list, helper: w, chunks: this.chunks, chunkRows, jitterMs };
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
      worker.unref();
      this.running++;
      worker.on('error', (err: Error) => {
        this.failure ??= err;
      });
      worker.on('exit', () => {
        this.running--;
      });
      this.workers.push(worker);
    }
  }

  get helpers(): number {
    return this.retired ? 0 : this.workers.length;
  }

  /**
   * Fills the dots of every row and, given `top`, offers every row's estimate to it. Helpers join
   * only where there are two chunks or more and `parallel` allows.
   */
  run(top: TopK | null, parallel: boolean): void {
    if (this.failure && !this.retired) {
      this.retire();
      throw new AppError('INTERNAL', `A vector scan thread failed: ${this.failure.message}`);
    }
    if (this.retired && this.running > 0) throw new AppError('INTERNAL', 'The vector scan threads are stopping after a failure; search again in a moment.');
    if (this.helpers === 0 || !parallel || this.chunks < 2) {
      const { codes, dim, query, out, count } = this.layout;
      this.scan(codes, count, dim, query, out);
      if (top) selectRows(top, this.dots, this.scales, 0, count);
      return;
    }
    try {
      this.runShared(top);
    } catch (err) {
      this.retire();
      throw err;
    }
  }

  close(): void {
    this.retire();
  }

  private runShared(top: TopK | null): void {
    const { codes, dim, query, out, count } = this.layout;
    const ctrl = this.control;
    const gen = (this.generation = (this.generation % MAX_GENERATION) + 1);
    // Helpers keep lists only up to HELPER_LIST; a longer one is selected here, after the scan.
    const helperList = top && top.k <= HELPER_LIST ? top.k : 0;
    Atomics.store(ctrl, SELECT, helperList);
    Atomics.store(ctrl, DONE, 0);
    Atomics.store(this.next, NEXT, BigInt(gen) << 32n);
    Atomics.store(ctrl, GEN, gen);
    this.pause();
    Atomics.notify(ctrl, GEN);
    this.pause();
    let own = 0;
    for (let chunk = this.claim(gen); chunk >= 0; chunk = this.claim(gen)) {
      const start = chunk * this.chunkRows;
      const end = Math.min(start + this.chunkRows, count);
      this.scan(codes + start * dim, end - start, dim, query, out + start * 4);
      if (top && helperList > 0) selectRows(top, this.dots, this.scales, start, end);
      Atomics.add(ctrl, DONE, 1);
      own++;
    }
    this.tally.chunks += this.chunks;
    this.tally.helperChunks += this.chunks - own;
    const deadline = performance.now() + STALL_MS;
    this.waitFor(DONE, (v) => v === this.chunks, deadline);
    if (!top) return;
    if (helperList === 0) {
      selectRows(top, this.dots, this.scales, 0, count);
      return;
    }
    this.lists.forEach((list, w) => {
      this.pause();
      if (Atomics.load(ctrl, SCANNED(w)) !== gen) return;
      this.waitFor(PUBLISHED(w), (v) => v === gen, deadline);
      const n = Atomics.load(ctrl, COUNT(w));
      for (let i = 0; i < n; i++) top.offer(list.rows[i]!, list.est[i]!);
    });
  }

  /** The chunk taken for generation `gen`, or -1 when NEXT belongs to another generation or every chunk is taken. */
  private claim(gen: number): number {
    const g = BigInt(gen);
    for (;;) {
      const v = Atomics.load(this.next, NEXT);
      const c = v & 0xffffffffn;
      if (v >> 32n !== g || c >= this.chunkCount) return -1;
      if (Atomics.compareExchange(this.next, NEXT, v, v + 1n) === v) return Number(c);
    }
  }

  /** Stops the helpers for good; runs after this scan alone (once every helper has exited). */
  private retire(): void {
    if (this.retired) return;
    this.retired = true;
    if (this.workers.length === 0) return;
    Atomics.store(this.control, STOP, 1);
    // Any value but the last generation wakes a helper (it compares): it then sees STOP.
    Atomics.store(this.control, GEN, -1);
    Atomics.notify(this.control, GEN);
    for (const w of this.workers) void w.terminate();
  }

  private waitFor(word: number, ok: (v: number) => boolean, deadline: number): void {
    for (let v = Atomics.load(this.control, word); !ok(v); v = Atomics.load(this.control, word)) {
      if (performance.now() > deadline) throw new AppError('INTERNAL', 'A vector scan thread stopped in the middle of a query.');
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
