import type { MotifCaptionSearch } from '../../../shared/contract/motifs';
import type { Db } from '../library';
import { matchExpression, parseQuery } from './text';
import { MOTIF_COLUMNS, toMotif, type MotifRow } from './store';

// bm25 weights of motif_text's columns (motif_id, title, caption, context): a word in the title says
// more about the motif than one in the page's prose.
const BM25 = 'bm25(motif_text, 0, 4.0, 2.0, 1.0)';

/**
 * Caption search without a model. Every concept of the query must match; when no motif has them all
 * the search widens to any of them, so a query never comes back empty only because one word of it is
 * not in any caption.
 */
export function searchCaptions(db: Db, query: string, limit = 50): MotifCaptionSearch {
  const concepts = parseQuery(query);
  if (concepts.length === 0) return { query, concepts: [], mode: 'all', hits: [] };
  const run = (mode: 'all' | 'any') =>
    db
      .prepare(
        `SELECT ${MOTIF_COLUMNS}, -${BM25} AS score FROM motif_text JOIN motifs m ON m.id = motif_text.motif_id
         WHERE motif_text MATCH ? ORDER BY ${BM25} LIMIT ?`,
      )
      .all(matchExpression(concepts, mode), limit) as (MotifRow & { score: number })[];
  let mode: 'all' | 'any' = 'all';
  let rows = run('all');
  if (rows.length === 0 && concepts.length > 1) {
    mode = 'any';
    rows = run('any');
  }
  return {
    query,
    concepts: concepts.map((c) => ({ text: c.text, alternatives: c.alternatives })),
    mode,
    hits: rows.map((r) => ({ motif: toMotif(r), score: r.score })),
  };
}
