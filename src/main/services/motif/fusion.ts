/**
 * Reciprocal rank fusion (Cormack, Clarke and Buettcher, SIGIR 2009): a document's fused score is
 * the sum, over the rankings that hold it, of 1 / (k + rank), rank counted from 1.
 *
 * Why ranks and not scores: a bm25 score and a cosine similarity live on unrelated scales (bm25 grows
 * with the query's length, cosine does not), so no fixed weighting of the two stays right from one
 * query to the next; ranks are comparable by construction. k damps the head of each list: with the
 * usual k = 60, rank 1 is worth 1/61 and rank 10 1/70, so agreement between the two rankings counts
 * for more than a first place in one of them. k = 0 makes a first place dominate.
 */
export const DEFAULT_RRF_K = 60;

export interface FusedItem<Id> {
  id: Id;
  score: number;
  /** 1-based rank in each input ranking, null where the ranking does not hold the item. */
  ranks: (number | null)[];
}

/** Fuses rankings (each best first, ids unique within one); ties go to the better best rank, then to the earlier ranking. */
export function reciprocalRankFusion<Id>(rankings: readonly (readonly Id[])[], k = DEFAULT_RRF_K): FusedItem<Id>[] {
  if (!(k >= 0 && Number.isFinite(k))) throw new RangeError(`Reciprocal rank fusion needs k >= 0, not ${k}.`);
  const items = new Map<Id, FusedItem<Id>>();
  rankings.forEach((ranking, r) => {
    ranking.forEach((id, i) => {
      let item = items.get(id);
      if (!item) {
        item = { id, score: 0, ranks: rankings.map(() => null) };
        items.set(id, item);
      }
      if (item.ranks[r] !== null) return; // a repeated id counts at its first (best) rank only
      item.ranks[r] = i + 1;
      item.score += 1 / (k + i + 1);
    });
  });
  const best = (f: FusedItem<Id>) => Math.min(...f.ranks.map((x) => x ?? Infinity));
  const firstRanking = (f: FusedItem<Id>) => f.ranks.findIndex((x) => x !== null);
  return [...items.values()].sort((a, b) => b.score - a.score || best(a) - best(b) || firstRanking(a) - firstRanking(b));
}
