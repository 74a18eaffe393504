import { describe, expect, it } from 'vitest';
import { DEFAULT_RRF_K, reciprocalRankFusion } from './fusion';

describe('reciprocal rank fusion', () => {
  it('sums 1 / (k + rank) over the rankings that hold an item', () => {
    const fused = reciprocalRankFusion([['a', 'b', 'c'], ['c', 'a']]);
    const byId = new Map(fused.map((f) => [f.id, f]));
    expect(byId.get('a')!.score).toBeCloseTo(1 / (DEFAULT_RRF_K + 1) + 1 / (DEFAULT_RRF_K + 2), 15);
    expect(byId.get('c')!.score).toBeCloseTo(1 / (DEFAULT_RRF_K + 3) + 1 / (DEFAULT_RRF_K + 1), 15);
    expect(byId.get('b')!.ranks).toEqual([2, null]);
    expect(fused.map((f) => f.id)).toEqual(['a', 'c', 'b']);
  });

  it('lets agreement beat a single first place at k = 60 and not at k = 0', () => {
    const rankings = [['solo', 'both'], ['x', 'both']];
    expect(reciprocalRankFusion(rankings, 60)[0]!.id).toBe('both');
    // 1/1 for solo against 1/2 + 1/2 for both: a tie, which goes to the better best rank.
    expect(reciprocalRankFusion(rankings, 0)[0]!.id).toBe('solo');
  });

  it('counts an id repeated in one ranking once, and refuses a negative k', () => {
    expect(reciprocalRankFusion([['a', 'a']])[0]!.score).toBeCloseTo(1 / 61, 15);
    expect(() => reciprocalRankFusion([['a']], -1)).toThrow(/k >= 0/);
    expect(reciprocalRankFusion([])).toEqual([]);
  });
});
