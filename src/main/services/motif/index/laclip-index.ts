import { AppError } from '../../../../shared/contract';
import type { Db } from '../../library';
import type { CropBox } from './crops';
import { Int8VectorIndex, type Int8IndexOptions, type RowReader } from './int8-index';
import { bestCrop, checkSettings, combinedVector, cropWeights, DEFAULT_LACLIP, dot, type LaclipSettings } from './laclip';

/** The model whose embeddings an index holds; every embedding records it (DESIGN.md). */
export interface EmbeddingModel {
  packId: string;
  packVersion: string;
  dim: number;
}

export interface MotifEmbeddings {
  global: Float32Array;
  crops: Float32Array[];
  /** Crop boxes [left, top, right, bottom) in the image's pixels, kept for showing the matching region. */
  boxes?: CropBox[];
}

export interface LaclipHit {
  motifId: string;
  score: number;
  /** The crop that agrees best with the query (index into the motif's crops, 0-based), if it has any. */
  crop: { crop: number; similarity: number } | null;
  /** <v_j, query> of every crop j, in the crop scheme's order (the heatmap). */
  cropScores: number[];
}

/**
 * Stores a motif's global and crop embeddings for one model, with the crop weights computed now
 * (they depend on the image only). Crop 0 is the whole image; its weight column holds tau. One
 * transaction: a motif is indexed whole or not at all, and indexing it again replaces its rows.
 */
export function storeMotifEmbeddings(db: Db, motifId: string, model: EmbeddingModel, e: MotifEmbeddings, tau = DEFAULT_LACLIP.tau): void {
  for (const v of [e.global, ...e.crops]) {
    if (v.length !== model.dim) throw new AppError('INVALID_INPUT', `An embedding of dimension ${v.length} cannot be stored for a ${model.dim}-dimensional model.`);
  }
  const weights = e.crops.length > 0 ? cropWeights(e.global, e.crops, tau) : new Float64Array(0);
  const insert = db.prepare(
    `INSERT INTO motif_embeddings (motif_id, pack_id, pack_version, dim, crop, box, weight, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    db.prepare('DELETE FROM motif_embeddings WHERE motif_id = ? AND pack_id = ? AND pack_version = ?').run(motifId, model.packId, model.packVersion);
    // Crop 0 (the whole image) has no weight of its own; its weight column records the tau the crop
    // weights were computed with, so a tau change is seen and only the weights are computed again.
    insert.run(motifId, model.packId, model.packVersion, model.dim, 0, null, e.crops.length > 0 ? tau : null, blob(e.global));
    e.crops.forEach((v, j) => {
      const box = e.boxes?.[j];
      insert.run(motifId, model.packId, model.packVersion, model.dim, j + 1, box ? JSON.stringify(box) : null, weights[j]!, blob(v));
    });
  })();
}

const blob = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
const vector = (b: Buffer, dim: number) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + dim * 4));

/**
 * LACLIP search over the motifs of one model: one combined vector per motif in an Int8VectorIndex,
 * the crops kept aside for the best-crop answer of the hits shown.
 */
export class LaclipIndex {
  private readonly rows = new Map<string, number>();

  private constructor(
    readonly model: EmbeddingModel,
    readonly settings: LaclipSettings,
    private readonly ids: string[],
    private readonly combined: Float32Array,
    private readonly cropsOf: (row: number) => Float32Array[],
    private readonly index: Int8VectorIndex,
  ) {
    ids.forEach((id, row) => this.rows.set(id, row));
  }

  get size(): number {
    return this.ids.length;
  }

  /** Builds from combined vectors already computed (the benchmark builds a million this way). */
  static fromCombined(
    model: EmbeddingModel,
    settings: LaclipSettings,
    ids: string[],
    combined: Float32Array,
    cropsOf: (row: number) => Float32Array[],
    options: Int8IndexOptions = {},
  ): LaclipIndex {
    checkSettings(settings);
    return new LaclipIndex(model, settings, ids, combined, cropsOf, Int8VectorIndex.build(combined, model.dim, options));
  }

  /** Reads the library's embeddings of one model and builds the index. */
  static load(db: Db, model: EmbeddingModel, settings: LaclipSettings = DEFAULT_LACLIP, options: Int8IndexOptions = {}): LaclipIndex {
    checkSettings(settings);
    const rows = db
      .prepare(
        `SELECT motif_id, crop, weight, vector FROM motif_embeddings WHERE pack_id = ? AND pack_version = ? AND dim = ?
         ORDER BY motif_id, crop`,
      )
      .iterate(model.packId, model.packVersion, model.dim) as IterableIterator<{ motif_id: string; crop: number; weight: number | null; vector: Buffer }>;
    const ids: string[] = [];
    const crops: Float32Array[][] = [];
    const combined: Float32Array[] = [];
    type Gathering = { id: string; global: Float32Array | null; crops: Float32Array[]; weights: number[] };
    let current = null as Gathering | null;
    const finish = () => {
      if (!current?.global) return;
      // The weights were computed once, at indexing (a new tau means indexing again); settings.tau
      // only fills in rows stored without them.
      const weights = current.weights.every((w) => Number.isFinite(w)) ? current.weights : Array.from(cropWeights(current.global, current.crops, settings.tau));
      ids.push(current.id);
      crops.push(current.crops);
      combined.push(combinedVector(current.global, current.crops, weights, settings.beta));
    };
    for (const r of rows) {
      if (current?.id !== r.motif_id) {
        finish();
        current = { id: r.motif_id, global: null, crops: [], weights: [] };
      }
      if (r.crop === 0) current.global = vector(r.vector, model.dim);
      else {
        current.crops.push(vector(r.vector, model.dim));
        current.weights.push(r.weight ?? Number.NaN);
      }
    }
    finish();
    const flat = new Float32Array(ids.length * model.dim);
    combined.forEach((c, i) => flat.set(c, i * model.dim));
    return new LaclipIndex(model, settings, ids, flat, (row) => crops[row]!, Int8VectorIndex.build(flat, model.dim, options));
  }

  /** The k motifs of highest LACLIP score for the text embedding t, with their best crops. */
  async search(t: Float32Array, k: number, read?: RowReader): Promise<LaclipHit[]> {
    if (this.ids.length === 0) return [];
    const fromMemory: RowReader = (row, into) => into.set(this.combined.subarray(row * this.model.dim, (row + 1) * this.model.dim));
    const hits = await this.index.search(t, Math.min(k, this.ids.length), read ?? fromMemory);
    return hits.map((h) => ({ motifId: this.ids[h.row]!, score: h.score, crop: bestCrop(this.cropsOf(h.row), t), cropScores: this.cropsOf(h.row).map((v) => dot(v, t)) }));
  }

  /** Whether the motif is in the index. */
  has(motifId: string): boolean {
    return this.rows.has(motifId);
  }

  /** A motif's exact score and crop scores for a query, or null when it is not indexed (a caption-only hit). */
  score(motifId: string, t: Float32Array): LaclipHit | null {
    const row = this.rows.get(motifId);
    if (row === undefined) return null;
    const crops = this.cropsOf(row);
    return { motifId, score: dot(this.combined.subarray(row * this.model.dim, (row + 1) * this.model.dim), t), crop: bestCrop(crops, t), cropScores: crops.map((v) => dot(v, t)) };
  }

  close(): void {
    this.index.close();
  }
}
