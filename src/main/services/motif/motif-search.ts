import { AppError } from '../../../shared/contract';
import type { MotifCropScore, MotifSearchMode, MotifSearchRequest, MotifSearchResult, MotifVectorStatus, NormalisedBox } from '../../../shared/contract/motifs';
import type { Db } from '../library';
import type { LaclipHit, LaclipIndex } from './index/laclip-index';
import { DEFAULT_RRF_K, reciprocalRankFusion } from './fusion';
import { searchCaptions } from './search';
import { getMotif } from './store';

/** What the vector side of a search needs: the query encoded, the index of the pack in use. */
export interface VectorSide {
  index: LaclipIndex;
  /** A text query (Chinese or English) through the pack's text graph, normalised. */
  encodeText(text: string): Promise<Float32Array>;
  /** An image (library sha256 or path), or a normalised region of it, through the image graph. */
  encodeImage(image: string, box: NormalisedBox | null): Promise<Float32Array>;
}

export interface SearchSides {
  db: Db;
  /** Null where no motif pack (or no inference) is available: the status says why. */
  vectors: VectorSide | null;
  status: MotifVectorStatus;
}

/** How deep each ranking is read before fusion: deeper than the answer, so the fusion has room. */
const FUSION_DEPTH = 100;

/**
 * motifs.search: a text query is ranked by captions (FTS5 + lexicon) and by the motif pack's vectors
 * (LACLIP), and the two rankings fused by reciprocal rank; an image or a region of one is ranked by
 * vectors alone (it has no words). Every hit indexed with the pack carries its crops' scores.
 */
export async function searchMotifs(sides: SearchSides, request: MotifSearchRequest): Promise<MotifSearchResult> {
  const mode: MotifSearchMode = request.mode ?? 'hybrid';
  const limit = request.limit ?? 20;
  const rrfK = request.rrfK ?? DEFAULT_RRF_K;
  const depth = Math.max(limit, FUSION_DEPTH);
  const isText = 'text' in request;
  const query = isText ? { text: request.text } : { image: request.image, box: request.box ?? null };

  if (!isText && mode === 'caption') {
    throw new AppError('INVALID_INPUT', "An image has no words to search captions with: search it in 'vector' or 'hybrid' mode.");
  }
  const wantsVectors = mode !== 'caption';
  if (wantsVectors && !sides.vectors && (!isText || mode === 'vector')) {
    // No pack at all: nothing can read the query. A pack whose vectors are missing or stale: an empty
    // answer whose status says so and offers the job.
    if (!sides.status.pack) throw new AppError('MODEL_MISSING', sides.status.message, { status: sides.status });
    return { query, mode, used: [], rrfK, vectors: sides.status, hits: [] };
  }

  const captionHits = isText && mode !== 'vector' ? searchCaptions(sides.db, request.text, depth).hits : [];
  const captionIds = captionHits.map((h) => h.motif.id);

  let q: Float32Array | null = null;
  const vectorHits = new Map<string, LaclipHit>();
  if (wantsVectors && sides.vectors) {
    q = isText ? await sides.vectors.encodeText(request.text) : await sides.vectors.encodeImage(request.image, request.box ?? null);
    for (const h of await sides.vectors.index.search(q, depth)) vectorHits.set(h.motifId, h);
  }

  const used: ('caption' | 'vector')[] = [];
  if (isText && mode !== 'vector') used.push('caption');
  if (q) used.push('vector');
  const rankings = used.map((u) => (u === 'caption' ? captionIds : [...vectorHits.keys()]));
  const fused = used.length === 1
    ? rankings[0]!.map((id, i) => ({ id, ranks: [i + 1], score: used[0] === 'vector' ? vectorHits.get(id)!.score : Number.NaN }))
    : reciprocalRankFusion(rankings, rrfK);
  // A single ranking keeps its own score (cosine, or bm25 negated so higher is better); fused ones
  // the RRF score.
  const captionScores = used.length === 1 && used[0] === 'caption' ? new Map(captionHits.map((h) => [h.motif.id, h.score])) : null;

  const boxesOf = boxReader(sides);
  const hits = fused.slice(0, limit).map((f) => {
    const rankOf = (side: 'caption' | 'vector') => {
      const i = used.indexOf(side);
      return i < 0 ? null : f.ranks[i] ?? null;
    };
    const vector = q && sides.vectors ? vectorHits.get(f.id) ?? sides.vectors.index.score(f.id, q) : null;
    const crops = vector ? cropScores(vector, boxesOf(f.id)) : [];
    const best = crops.reduce<MotifCropScore | null>((b, c) => (!b || c.score > b.score ? c : b), null);
    return {
      motif: getMotif(sides.db, f.id),
      score: captionScores ? captionScores.get(f.id)! : f.score,
      ranks: { caption: rankOf('caption'), vector: rankOf('vector') },
      crop: best,
      crops,
    };
  });
  return { query, mode, used, rrfK, vectors: sides.status, hits };
}

/** Crop boxes of a motif for the pack in use, normalised by the image size the crop grid spans. */
function boxReader(sides: SearchSides): (motifId: string) => (NormalisedBox | null)[] {
  const pack = sides.status.pack;
  if (!pack) return () => [];
  const stmt = sides.db.prepare('SELECT box FROM motif_embeddings WHERE motif_id = ? AND pack_id = ? AND pack_version = ? AND crop > 0 ORDER BY crop').pluck();
  return (motifId) => {
    const boxes = (stmt.all(motifId, pack.id, pack.version) as (string | null)[]).map((b) => (b ? (JSON.parse(b) as number[]) : null));
    // The grid's tiles cover the whole image, so the largest right and bottom edges are its size.
    const width = Math.max(0, ...boxes.map((b) => b?.[2] ?? 0));
    const height = Math.max(0, ...boxes.map((b) => b?.[3] ?? 0));
    return boxes.map((b) => (b && width > 0 && height > 0 ? [b[0]! / width, b[1]! / height, b[2]! / width, b[3]! / height] : null));
  };
}

function cropScores(hit: LaclipHit, boxes: (NormalisedBox | null)[]): MotifCropScore[] {
  const out: MotifCropScore[] = [];
  hit.cropScores.forEach((score, index) => {
    const box = boxes[index];
    if (box) out.push({ index, box, score });
  });
  return out;
}
