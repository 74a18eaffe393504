import type { Motif, MotifCaptionSearch, NormalisedBox, MotifModelSearch, MotifSearchResult, MotifVectorStatus, StudioClient } from '../../../../shared/contract';
import { toAppError } from '../../lib/errors';
import { motifSize } from './caption';

/**
 * The one place the motif panel asks main for results. Everything else reads MotifResults. It uses
 * `motifs.search` (hybrid ranking by reciprocal rank fusion, per-crop scores); against a main side
 * that does not answer that channel yet it falls back to searchCaptions/searchByModel, fusing the two
 * rankings itself.
 */

export type SearchMode = 'hybrid' | 'caption' | 'vector';
export const SEARCH_MODES: readonly SearchMode[] = ['hybrid', 'caption', 'vector'];

/** A region of the motif image as fractions of its width and height: [left, top, right, bottom). */
export type CropBox = readonly [number, number, number, number];

export interface CropScore {
  box: CropBox;
  /** Higher agrees better with the query; comparable only within one hit. */
  score: number;
}

export interface MotifHit {
  motif: Motif;
  score: number;
  /** The crop that agrees best with the query, when a model scored the hit. */
  bestCrop: CropScore | null;
  /** Every scored crop, for the heatmap; at most the best one when main reports no more. */
  crops: CropScore[];
}

/** A text, or an image (library sha256 or path) with, for a region query, the box searched. */
export type MotifQuery = { text: string } | { image: string; label: string; box?: NormalisedBox };

export interface MotifResults {
  /** What was searched for, as the panel shows it. */
  label: string;
  /** What actually ranked the hits: hybrid without a motif pack falls back to captions. */
  ranking: SearchMode;
  /** True when vector ranking was asked for and no motif pack is installed. */
  packMissing: boolean;
  /** The motif vectors' state when they are not ready for the pack (a note and an index offer). */
  vectors: MotifVectorStatus | null;
  hits: MotifHit[];
}

/** Reciprocal rank fusion's damping constant, the usual 60 (Cormack et al. 2009). */
const RRF_K = 60;

/** A pixel box (legacy searchByModel) as fractions of the image, or null when it cannot be one. */
export function pixelBoxToFractions(box: readonly number[] | null | undefined, size: { width: number; height: number } | null): CropBox | null {
  if (!box || !size || box.length !== 4 || box.some((v) => !Number.isFinite(v))) return null;
  const [l, t, r, b] = box as [number, number, number, number];
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const f: CropBox = [clamp(l / size.width), clamp(t / size.height), clamp(r / size.width), clamp(b / size.height)];
  return f[2] > f[0] && f[3] > f[1] ? f : null;
}

function fromCaptions(answer: MotifCaptionSearch): MotifHit[] {
  return answer.hits.map((h) => ({ motif: h.motif, score: h.score, bestCrop: null, crops: [] }));
}

function fromModel(answer: MotifModelSearch): MotifHit[] {
  return answer.hits.map((h) => {
    const box = pixelBoxToFractions(h.crop?.box, motifSize(h.motif));
    const bestCrop = box && h.crop ? { box, score: h.crop.similarity } : null;
    return { motif: h.motif, score: h.score, bestCrop, crops: bestCrop ? [bestCrop] : [] };
  });
}

function fromSearch(answer: MotifSearchResult): MotifHit[] {
  return answer.hits.map((h) => ({
    motif: h.motif,
    score: h.score,
    bestCrop: h.crop ? { box: h.crop.box, score: h.crop.score } : null,
    crops: h.crops.map((c) => ({ box: c.box, score: c.score })),
  }));
}

/**
 * Reciprocal rank fusion of ranked lists: a motif scores sum 1 / (k + rank) over the lists it is in,
 * so neither list's raw scores (BM25 against cosine) need to be comparable. A model hit's crops win.
 */
export function fuseRanks(lists: readonly (readonly MotifHit[])[], limit: number, k = RRF_K): MotifHit[] {
  const fused = new Map<string, MotifHit>();
  for (const list of lists) {
    list.forEach((hit, rank) => {
      const prior = fused.get(hit.motif.id);
      const add = 1 / (k + rank + 1);
      if (!prior) fused.set(hit.motif.id, { ...hit, score: add });
      else fused.set(hit.motif.id, { ...prior, score: prior.score + add, bestCrop: prior.bestCrop ?? hit.bestCrop, crops: prior.crops.length ? prior.crops : hit.crops });
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || a.motif.id.localeCompare(b.motif.id)).slice(0, limit);
}

const codeOf = (err: unknown) => toAppError(err).code;

async function legacySearch(client: StudioClient, text: string, mode: SearchMode, limit: number): Promise<MotifResults> {
  const base = { label: text, vectors: null };
  if (mode === 'caption') return { ...base, ranking: 'caption', packMissing: false, hits: fromCaptions(await client.motifs.searchCaptions({ query: text, limit })) };
  const model = client.motifs.searchByModel({ query: text, limit }).catch((err: unknown) => {
    if (codeOf(err) === 'MODEL_MISSING') return null;
    throw err;
  });
  if (mode === 'vector') {
    const answer = await model;
    return { ...base, ranking: 'vector', packMissing: !answer, hits: answer ? fromModel(answer) : [] };
  }
  const [captions, answer] = await Promise.all([client.motifs.searchCaptions({ query: text, limit }), model]);
  if (!answer) return { ...base, ranking: 'caption', packMissing: true, hits: fromCaptions(captions) };
  return { ...base, ranking: 'hybrid', packMissing: false, hits: fuseRanks([fromCaptions(captions), fromModel(answer)], limit) };
}

export async function searchMotifs(client: StudioClient, query: MotifQuery, mode: SearchMode, limit = 40): Promise<MotifResults> {
  const request =
    'text' in query ? { text: query.text.trim(), mode, limit } : { image: query.image, ...(query.box ? { box: query.box } : {}), mode, limit };
  const label = 'text' in query ? query.text.trim() : query.label;
  try {
    const answer = await client.motifs.search(request);
    const unavailable = answer.vectors.state === 'unavailable';
    const ranking: SearchMode = answer.used.length === 2 ? 'hybrid' : (answer.used[0] ?? mode);
    return {
      label,
      ranking,
      packMissing: unavailable && mode !== 'caption',
      vectors: mode !== 'caption' && !unavailable && answer.vectors.state !== 'ready' ? answer.vectors : null,
      hits: fromSearch(answer),
    };
  } catch (err) {
    const code = codeOf(err);
    if (code === 'MODEL_MISSING' && mode !== 'caption') return { label, ranking: mode, packMissing: true, vectors: null, hits: [] };
    // A main side from before motifs.search: the older channels answer text queries.
    if (code === 'UNKNOWN_CHANNEL' && 'text' in query) return legacySearch(client, query.text.trim(), mode, limit);
    throw err;
  }
}

/** Brings the vectors up to the motif pack: motifs.reindex, or motifs.index on an older main side. */
export async function startIndexing(client: StudioClient) {
  try {
    return await client.motifs.reindex({});
  } catch (err) {
    if (codeOf(err) === 'UNKNOWN_CHANNEL') return client.motifs.index({});
    throw err;
  }
}
