import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Int8VectorIndex, type RowReader, type SearchHit } from './int8-index';
import { instantiateKernel } from './int8-kernel';
import { ParallelScan } from './parallel-scan';
import { clusteredVectors, gaussian, rng, unitNear } from './test-vectors';

/**
 * The threads' protocol under stress: thousands of searches on indexes whose helpers, and the
 * searching thread, pause at random between any two steps of the protocol, while busy threads
 * compete for the cores; every answer must equal the single-threaded one exactly.
 */
describe('ParallelScan under load', () => {
  const dim = 64;
  // Five chunks of 2048 rows, the last one short.
  const n = 2048 * 4 + 321;
  const vectors = clusteredVectors(n, dim, 41, 32);
  const read: RowReader = (row, into) => into.set(vectors.subarray(row * dim, (row + 1) * dim));
  const spinners: Worker[] = [];

  beforeAll(() => {
    // Threads busy in bursts of a few ms, so that the OS preempts the scan's threads at arbitrary points.
    const burst = `const nap = new Int32Array(new SharedArrayBuffer(4));
      for (;;) { const end = Date.now() + 1 + Math.random() * 4; while (Date.now() < end); Atomics.wait(nap, 0, 0, Math.random() * 2); }`;
    for (let i = 0; i < 2; i++) spinners.push(new Worker(burst, { eval: true }));
  });
  afterAll(async () => {
    await Promise.all(spinners.map((w) => w.terminate()));
  });

  it('returns exactly what one thread returns, for thousands of searches', async () => {
    const normal = gaussian(rng(42));
    const pick = rng(43);
    // Each kind of run takes another path: helper lists of the default size, of one, none (the
    // list is longer than a helper keeps), no list at all, and the whole search with re-ranking.
    const kinds = ['list', 'list', 'list', 'one', 'long', 'dots', 'search', 'search'] as const;
    const queries = Array.from({ length: 1000 }, (_, q) => ({
      vector: unitNear(new Float32Array(dim), vectors.subarray((q % n) * dim, ((q % n) + 1) * dim), 0.3, normal),
      kind: kinds[Math.floor(pick() * kinds.length)]!,
    }));
    const run = async (index: Int8VectorIndex, { vector, kind }: (typeof queries)[number]): Promise<number[]> => {
      if (kind === 'list') return numbers(await index.firstStage(vector, 100));
      if (kind === 'one') return numbers(await index.firstStage(vector, 1));
      if (kind === 'long') return numbers(await index.firstStage(vector, 1100));
      if (kind === 'dots') return numbers(await index.estimate(vector));
      return numbers(await index.search(vector, 10, read, { candidates: 10 }));
    };
    const alone = Int8VectorIndex.build(vectors, dim, { threads: 1 });
    const wanted: number[][] = [];
    for (const q of queries) wanted.push(await run(alone, q));
    alone.close();

    const mismatches: string[] = [];
    let searches = 0;
    for (const options of [{ threads: 2 }, { threads: 2, scanJitterMs: 0.3 }, { threads: 4, scanJitterMs: 0.3 }]) {
      const index = Int8VectorIndex.build(vectors, dim, { ...options, parallelMinRows: 0 });
      try {
        // Back to back, as a search can start while a helper is still leaving the last one.
        for (const [i, q] of queries.entries()) {
          searches++;
          const got = await run(index, q).catch((err: unknown) => String(err));
          const want = wanted[i]!;
          const same = typeof got !== 'string' && got.length === want.length && got.every((x, j) => x === want[j]);
          if (!same) mismatches.push(`query ${i} (${q.kind}), ${JSON.stringify(options)}: ${String(got).slice(0, 100)}`);
        }
        // The helpers took part, or the protocol was never exercised.
        expect(index.helperShare).toBeGreaterThan(0.05);
      } finally {
        index.close();
      }
    }
    expect(mismatches.length, mismatches.slice(0, 3).join('\n')).toBe(0);
    expect(searches).toBeGreaterThanOrEqual(3000);
  });
});

describe('ParallelScan after a helper fails', () => {
  it('fails that search loudly, then scans alone once the helpers have exited', async () => {
    const [dim, count, chunkRows] = [64, 5000, 1024];
    const at = (n: number) => Math.ceil(n / 64) * 64;
    const query = at(ParallelScan.reservedBytes(1));
    const out = at(query + dim * 2);
    const scales = at(out + count * 4);
    const codes = at(scales + count * 4);
    const memory = new WebAssembly.Memory({ initial: Math.ceil((codes + count * dim) / 65536), maximum: 100, shared: true });
    const random = rng(7);
    const codeBytes = new Int8Array(memory.buffer, codes, count * dim);
    const queryWords = new Int16Array(memory.buffer, query, dim);
    for (let i = 0; i < codeBytes.length; i++) codeBytes[i] = Math.floor(random() * 255) - 127;
    for (let i = 0; i < dim; i++) queryWords[i] = Math.floor(random() * 8191) - 4095;
    const expected = Int32Array.from({ length: count }, (_, r) => codeBytes.subarray(r * dim, (r + 1) * dim).reduce((s, c, i) => s + c * queryWords[i]!, 0));
    const dots = new Int32Array(memory.buffer, out, count);
    // The helper's kernel is not WebAssembly: it dies as it starts.
    const scan = new ParallelScan(memory, instantiateKernel(memory, true), { codes, query, out, scales, dim, count }, 1, new Uint8Array([1, 2, 3]), chunkRows);
    const outcome = () => {
      try {
        scan.run(null, true);
        return 'scanned';
      } catch (err) {
        return String(err);
      }
    };
    try {
      // Until its death is known the helper claims nothing and the searching thread scans all; the
      // first search after it fails.
      expect(await eventually(outcome, (o) => o !== 'scanned')).toMatch(/A vector scan thread failed/);
      // Then searches refuse while a helper may still run, and scan alone once none can.
      expect(await eventually(outcome, (o) => !/stopping/.test(o))).toBe('scanned');
      dots.fill(0);
      scan.run(null, true);
      expect(Array.from(dots)).toEqual(Array.from(expected));
      expect(scan.helpers).toBe(0);
    } finally {
      scan.close();
    }
  });
});

/** Polls `probe` between turns of the event loop (where worker events arrive) until `done` holds. */
async function eventually<T>(probe: () => T, done: (value: T) => boolean): Promise<T> {
  for (let tries = 0; ; tries++) {
    const value = probe();
    if (done(value) || tries === 500) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** An answer as plain numbers: (row, score) pairs, or the estimates. */
const numbers = (answer: SearchHit[] | Float32Array): number[] => (answer instanceof Float32Array ? Array.from(answer) : answer.flatMap((h) => [h.row, h.score]));
