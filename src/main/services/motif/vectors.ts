import { AppError, type JobProgress } from '../../../shared/contract';
import type { MotifVectorStatus } from '../../../shared/contract/motifs';
import type { Db, Library } from '../library';
import type { MotifEncoder } from './encoder';
import { LaclipIndex, storeMotifEmbeddings, type EmbeddingModel } from './index/laclip-index';
import { cropWeights } from './index/laclip';

export interface IndexReport {
  pack: { id: string; version: string };
  /** Motifs that had no embeddings of this pack yet. */
  total: number;
  indexed: number;
  failed: number;
  /** Motifs whose crop weights were computed again for the pack's tau (no image encoded). */
  reweighed: number;
  /** Embedding rows of the pack's other versions or dimensions dropped once every motif was in. */
  dropped: number;
  problems: { motifId: string; message: string }[];
}

export interface IndexHooks {
  progress?(p: JobProgress): void;
  throwIfCancelled?(): void;
  signal?: AbortSignal;
}

export const embeddingModelOf = (encoder: MotifEncoder): EmbeddingModel => ({
  packId: encoder.model.id,
  packVersion: encoder.model.version,
  dim: encoder.dim,
});

export interface IndexOptions {
  /** Encode every motif again, not only those without embeddings of this pack. */
  full?: boolean;
}

/**
 * Brings the motifs' vectors up to the encoder's pack: crop weights computed again where they were
 * computed with another tau (no model run: the crops are stored), then every motif without
 * embeddings of this pack, version and dimension encoded (the whole image and its crops through the
 * worker, weights computed once here, a motif's rows written in one transaction), and, once every
 * motif is in, the embeddings of the pack's other versions or dimensions dropped. Stopped anywhere,
 * it is resumed by running it again.
 */
export async function indexMotifs(library: Library, encoder: MotifEncoder, hooks: IndexHooks = {}, options: IndexOptions = {}): Promise<IndexReport> {
  const model = embeddingModelOf(encoder);
  const tau = encoder.model.spec.laclip.tau;
  const reweighed = reweighCrops(library.db, model, tau);
  const todo = library.db
    .prepare(
      `SELECT m.id, m.file_sha256 FROM motifs m WHERE ? OR NOT EXISTS (
         SELECT 1 FROM motif_embeddings e WHERE e.motif_id = m.id AND e.pack_id = ? AND e.pack_version = ? AND e.dim = ? AND e.crop = 0)
       ORDER BY m.created_at, m.id`,
    )
    .all(options.full ? 1 : 0, model.packId, model.packVersion, model.dim) as { id: string; file_sha256: string }[];
  const report: IndexReport = { pack: { id: model.packId, version: model.packVersion }, total: todo.length, indexed: 0, failed: 0, reweighed, dropped: 0, problems: [] };
  const progress = (done: number) =>
    hooks.progress?.({ fraction: todo.length === 0 ? 1 : done / todo.length, step: done, total: todo.length, message: `${report.indexed} indexed, ${report.failed} failed` });
  progress(0);
  for (const [i, motif] of todo.entries()) {
    hooks.throwIfCancelled?.();
    try {
      const bytes = await library.files.read(motif.file_sha256);
      const e = await encoder.encodeImage(bytes, hooks.signal ? { signal: hooks.signal } : {});
      storeMotifEmbeddings(library.db, motif.id, model, e, tau);
      report.indexed++;
    } catch (err) {
      // A worker crash or a cancel stops the run; one image the model cannot take does not.
      if (AppError.is(err, 'JOB_CANCELLED') || AppError.is(err, 'WORKER_CRASHED') || AppError.is(err, 'MODEL_INVALID')) throw err;
      report.failed++;
      if (report.problems.length < 200) report.problems.push({ motifId: motif.id, message: err instanceof Error ? err.message : String(err) });
    }
    progress(i + 1);
  }
  // The old version's vectors serve nobody once the new ones are complete; until then they are kept,
  // so a stopped re-index leaves the library as searchable as it was (by the old pack).
  if (report.failed === 0) {
    report.dropped = library.db
      .prepare('DELETE FROM motif_embeddings WHERE pack_id = ? AND (pack_version != ? OR dim != ?)')
      .run(model.packId, model.packVersion, model.dim).changes;
  }
  return report;
}

/**
 * Crop weights computed again, from the stored embeddings, for every motif of the model whose
 * weights were computed with another tau (or an unknown one). One transaction. Returns the motifs
 * changed.
 */
export function reweighCrops(db: Db, model: EmbeddingModel, tau: number): number {
  const stale = db
    .prepare(
      `SELECT g.motif_id FROM motif_embeddings g WHERE g.pack_id = ? AND g.pack_version = ? AND g.dim = ? AND g.crop = 0
         AND (g.weight IS NULL OR g.weight != ?)
         AND EXISTS (SELECT 1 FROM motif_embeddings c WHERE c.motif_id = g.motif_id AND c.pack_id = g.pack_id AND c.pack_version = g.pack_version AND c.crop > 0)`,
    )
    .pluck()
    .all(model.packId, model.packVersion, model.dim, tau) as string[];
  if (stale.length === 0) return 0;
  const rows = db.prepare('SELECT crop, vector FROM motif_embeddings WHERE motif_id = ? AND pack_id = ? AND pack_version = ? ORDER BY crop');
  const setWeight = db.prepare('UPDATE motif_embeddings SET weight = ? WHERE motif_id = ? AND pack_id = ? AND pack_version = ? AND crop = ?');
  db.transaction(() => {
    for (const id of stale) {
      const vectors = (rows.all(id, model.packId, model.packVersion) as { crop: number; vector: Buffer }[]).map(
        (r) => new Float32Array(r.vector.buffer.slice(r.vector.byteOffset, r.vector.byteOffset + r.vector.byteLength)),
      );
      const w = cropWeights(vectors[0]!, vectors.slice(1), tau);
      w.forEach((x, j) => setWeight.run(x, id, model.packId, model.packVersion, j + 1));
      setWeight.run(tau, id, model.packId, model.packVersion, 0);
    }
  })();
  return stale.length;
}

export interface VectorCounts {
  motifs: number;
  /** Motifs with embeddings of exactly this pack, version and dimension. */
  indexed: number;
  /** Of those, motifs whose crop weights were computed with another tau. */
  staleWeights: number;
  /** Other versions (or dimensions) of the same pack that motifs have embeddings of. */
  otherVersions: string[];
}

export function countVectors(db: Db, model: EmbeddingModel, tau: number): VectorCounts {
  const motifs = db.prepare('SELECT count(*) FROM motifs').pluck().get() as number;
  const indexed = db
    .prepare('SELECT count(*) FROM motif_embeddings WHERE pack_id = ? AND pack_version = ? AND dim = ? AND crop = 0')
    .pluck()
    .get(model.packId, model.packVersion, model.dim) as number;
  const staleWeights = db
    .prepare(
      `SELECT count(*) FROM motif_embeddings g WHERE g.pack_id = ? AND g.pack_version = ? AND g.dim = ? AND g.crop = 0 AND (g.weight IS NULL OR g.weight != ?)
         AND EXISTS (SELECT 1 FROM motif_embeddings c WHERE c.motif_id = g.motif_id AND c.pack_id = g.pack_id AND c.pack_version = g.pack_version AND c.crop > 0)`,
    )
    .pluck()
    .get(model.packId, model.packVersion, model.dim, tau) as number;
  const otherVersions = db
    .prepare(`SELECT DISTINCT pack_version || ' (dim ' || dim || ')' FROM motif_embeddings WHERE pack_id = ? AND crop = 0 AND (pack_version != ? OR dim != ?)`)
    .pluck()
    .all(model.packId, model.packVersion, model.dim) as string[];
  return { motifs, indexed, staleWeights, otherVersions };
}

/** What the search says about the vectors, and the job it offers when they are not ready. */
export function vectorStatus(db: Db, model: EmbeddingModel, tau: number, packId?: string): MotifVectorStatus {
  const c = countVectors(db, model, tau);
  const pack = { id: model.packId, version: model.packVersion, dim: model.dim };
  const offer = { channel: 'motifs.reindex' as const, ...(packId ? { packId } : {}) };
  const name = `${model.packId} ${model.packVersion}`;
  if (c.otherVersions.length > 0 && c.indexed < c.motifs) {
    return { state: 'stale', pack, motifs: c.motifs, indexed: c.indexed, offer,
      message: `The motifs were indexed with ${model.packId} ${c.otherVersions.join(', ')}, not ${name} (dim ${model.dim}): ${c.indexed} of ${c.motifs} are indexed with it. Re-index (jinxiu motifs reindex) to search them by model.` };
  }
  if (c.staleWeights > 0) {
    return { state: 'stale', pack, motifs: c.motifs, indexed: c.indexed, offer,
      message: `${c.staleWeights} motifs have crop weights from another tau than ${name}'s ${tau}; re-index (quick: no image is encoded again).` };
  }
  if (c.motifs > 0 && c.indexed === 0) {
    return { state: 'missing', pack, motifs: c.motifs, indexed: 0, offer, message: `No motif is indexed with ${name} yet: index them (jinxiu motifs reindex) to search by model.` };
  }
  if (c.indexed < c.motifs) {
    return { state: 'partial', pack, motifs: c.motifs, indexed: c.indexed, offer,
      message: `${c.indexed} of ${c.motifs} motifs are indexed with ${name}; the others are found by caption only until indexed.` };
  }
  return { state: 'ready', pack, motifs: c.motifs, indexed: c.indexed, offer: null, message: `All ${c.motifs} motifs are indexed with ${name}.` };
}

/** One LaclipIndex per model, rebuilt when the model's embeddings change in number. */
export class LaclipIndexCache {
  private current: { key: string; index: LaclipIndex } | null = null;

  get(db: Db, model: EmbeddingModel, settings: { beta: number; tau: number }): LaclipIndex {
    const rows = db
      .prepare('SELECT count(*) FROM motif_embeddings WHERE pack_id = ? AND pack_version = ? AND crop = 0')
      .pluck()
      .get(model.packId, model.packVersion) as number;
    const key = `${model.packId}@${model.packVersion}/${model.dim}:${rows}:${settings.beta}:${settings.tau}`;
    if (this.current?.key !== key) {
      this.current?.index.close();
      this.current = { key, index: LaclipIndex.load(db, model, settings) };
    }
    return this.current.index;
  }

  clear(): void {
    this.current?.index.close();
    this.current = null;
  }
}
