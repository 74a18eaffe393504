import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Int8VectorIndex, type RowReader } from './int8-index';
import { TopK } from './top-k';
import { bruteForceTopK, clusteredVectors, gaussian, rng, unitNear } from './test-vectors';

const open: Int8VectorIndex[] = [];
afterEach(() => {
  for (const i of open.splice(0)) i.close();
});
const reader = (vectors: Float32Array, dim: number): RowReader => (row, into) => into.set(vectors.subarray(row * dim, (row + 1) * dim));

describe('TopK', () => {
  it('keeps the k best of any sequence, best first, ties to the lower row', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 200 }), fc.integer({ min: 1, max: 30 }), (scores, k) => {
        const top = new TopK(k);
        scores.forEach((s, row) => top.offer(row, s));
        const expected = scores
          .map((score, row) => ({ row, score }))
          .sort((a, b) => b.score - a.score || a.row - b.row)
          .slice(0, k);
        expect(top.sorted()).toEqual(expected);
      }),
    );
  });
});

describe('Int8VectorIndex', () => {
  it.each([
    [512, 1],
    [512, 2],
    [100, 2],
    [64, 3],
  ])('returns the exact top 10 of brute force (dim %i, %i threads)', async (dim, threads) => {
    const n = 3000;
    const vectors = clusteredVectors(n, dim, 7 + dim + threads, 64);
    const index = Int8VectorIndex.build(vectors, dim, { threads, parallelMinRows: 0 });
    open.push(index);
    expect(index.threads).toBe(threads);
    const normal = gaussian(rng(99));
    for (let q = 0; q < 25; q++) {
      // Half the queries near stored vectors, half anywhere: both must come back exact.
      const near = q % 2 === 0 ? vectors.subarray((q * 97 % n) * dim, (q * 97 % n + 1) * dim) : null;
      const query = unitNear(new Float32Array(dim), near, near ? 0.05 : 1, normal);
      const got = await index.search(query, 10, reader(vectors, dim));
      const want = bruteForceTopK(vectors, dim, query, 10);
      expect(got.map((h) => h.row)).toEqual(want.map((h) => h.row));
      got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]!.score, 6));
    }
  });

  it('estimates every dot product within the int8 error bound', async () => {
    const dim = 512;
    const n = 500;
    const vectors = clusteredVectors(n, dim, 3);
    const index = Int8VectorIndex.build(vectors, dim, { threads: 2, parallelMinRows: 0 });
    open.push(index);
    const query = unitNear(new Float32Array(dim), null, 1, gaussian(rng(5)));
    const estimates = await index.estimate(query);
    for (let r = 0; r < n; r++) {
      let exact = 0;
      let maxAbs = 0;
      for (let i = 0; i < dim; i++) {
        exact += vectors[r * dim + i]! * query[i]!;
        maxAbs = Math.max(maxAbs, Math.abs(vectors[r * dim + i]!));
      }
      // Each code is off by at most half a step (maxAbs / 254) and the query by half of its own step;
      // |t|_1 <= sqrt(dim) for a unit t, so this is a true bound, not a tolerance picked to pass.
      const bound = (maxAbs / 254) * Math.sqrt(dim) + (1 / 4095) * Math.sqrt(dim);
      expect(Math.abs(estimates[r]! - exact)).toBeLessThanOrEqual(bound);
    }
  });

  it('scans every chunk once whichever thread claims it (rows not a multiple of the chunk)', async () => {
    const dim = 64;
    const n = 2048 * 3 + 7;
    const vectors = clusteredVectors(n, dim, 11);
    const alone = Int8VectorIndex.build(vectors, dim, { threads: 1 });
    const shared = Int8VectorIndex.build(vectors, dim, { threads: 3, parallelMinRows: 0 });
    open.push(alone, shared);
    const normal = gaussian(rng(12));
    const read = reader(vectors, dim);
    for (let q = 0; q < 5; q++) {
      const query = unitNear(new Float32Array(dim), null, 1, normal);
      expect(await shared.estimate(query)).toEqual(await alone.estimate(query));
      // Each thread selects from the chunks it scanned; merged, the lists give the same answer.
      expect(await shared.search(query, 10, read)).toEqual(await alone.search(query, 10, read));
      expect(await shared.search(query, 10, read, { candidates: 2000 })).toEqual(await alone.search(query, 10, read));
    }
  });

  it('stays exact when the first-stage list is too short: it re-ranks every row the error bound cannot rule out', async () => {
    const dim = 512;
    const n = 4000;
    // Few tight clusters: hundreds of rows score within the int8 error of the 10th.
    const vectors = clusteredVectors(n, dim, 21, 4, 0.3 / Math.sqrt(dim));
    const index = Int8VectorIndex.build(vectors, dim, { threads: 2, parallelMinRows: 0 });
    open.push(index);
    const normal = gaussian(rng(22));
    let reads = 0;
    const counting: RowReader = (row, into) => {
      reads++;
      reader(vectors, dim)(row, into);
    };
    for (let q = 0; q < 6; q++) {
      const query = unitNear(new Float32Array(dim), vectors.subarray(q * dim, (q + 1) * dim), 0.5 / Math.sqrt(dim), normal);
      const want = bruteForceTopK(vectors, dim, query, 10).map((h) => h.row);
      for (const candidates of [10, undefined]) {
        reads = 0;
        expect((await index.search(query, 10, counting, { candidates })).map((h) => h.row)).toEqual(want);
        expect(reads).toBeGreaterThan(candidates ?? 100);
      }
    }
  });

  it('stops re-ranking once no candidate left can enter the top k', async () => {
    const dim = 512;
    const n = 4000;
    const vectors = clusteredVectors(n, dim, 31, 64);
    const index = Int8VectorIndex.build(vectors, dim, { threads: 1 });
    open.push(index);
    const normal = gaussian(rng(32));
    let reads = 0;
    const counting: RowReader = (row, into) => {
      reads++;
      reader(vectors, dim)(row, into);
    };
    for (let q = 0; q < 10; q++) {
      const query = unitNear(new Float32Array(dim), vectors.subarray(q * dim, (q + 1) * dim), 2 / Math.sqrt(dim), normal);
      reads = 0;
      expect((await index.search(query, 10, counting)).map((h) => h.row)).toEqual(bruteForceTopK(vectors, dim, query, 10).map((h) => h.row));
      // The list holds 100; at these clusters' spread the bound ends re-ranking well before it.
      expect(reads).toBeGreaterThanOrEqual(10);
      expect(reads).toBeLessThan(100);
    }
  });

  it('answers a zero query with the first rows, each scored 0', async () => {
    const vectors = clusteredVectors(50, 64, 4, 2);
    const index = Int8VectorIndex.build(vectors, 64, { threads: 1 });
    open.push(index);
    expect(await index.search(new Float32Array(64), 3, reader(vectors, 64))).toEqual([0, 1, 2].map((row) => ({ row, score: 0 })));
  });

  it('asks for fewer rows than it holds and refuses queries of the wrong size', async () => {
    const vectors = clusteredVectors(5, 64, 1, 2);
    const index = Int8VectorIndex.build(vectors, 64, { threads: 2, parallelMinRows: 0 });
    open.push(index);
    expect((await index.search(vectors.subarray(0, 64), 10, reader(vectors, 64))).map((h) => h.row).sort()).toEqual([0, 1, 2, 3, 4]);
    await expect(index.search(new Float32Array(63), 3, reader(vectors, 64))).rejects.toThrow(/dimension 63/);
    expect(() => Int8VectorIndex.build(new Float32Array(10), 3)).toThrow(/not whole vectors of dimension 3/);
    const empty = Int8VectorIndex.build(new Float32Array(0), 64, { threads: 2 });
    open.push(empty);
    expect(await empty.search(vectors.subarray(0, 64), 3, reader(vectors, 64))).toEqual([]);
  });
});
