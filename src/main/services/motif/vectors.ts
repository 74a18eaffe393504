import { AppError, type JobProgress } from '../../../shared/contract';
import type { Db, Library } from '../library';
import type { MotifEncoder } from './encoder';
import { LaclipIndex, storeMotifEmbeddings, type EmbeddingModel } from './index/laclip-index';

export interface IndexReport {
  pack: { id: string; version: string };
  /** Motifs that had no embeddings of this pack yet. */
  total: number;
  indexed: number;
  failed: number;
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

/**
 * Encodes every motif that has no embeddings of the encoder's pack yet: the whole image and its
 * crops through the worker, crop weights computed once here, all of a motif's rows written in one
 * transaction. Stopped anywhere, it is resumed by running it again; a model change (another pack or
 * version) indexes everything again, as every embedding records its model.
 */
export async function indexMotifs(library: Library, encoder: MotifEncoder, hooks: IndexHooks = {}): Promise<IndexReport> {
  const model = embeddingModelOf(encoder);
  const todo = library.db
    .prepare(
      `SELECT m.id, m.file_sha256 FROM motifs m WHERE NOT EXISTS (
         SELECT 1 FROM motif_embeddings e WHERE e.motif_id = m.id AND e.pack_id = ? AND e.pack_version = ? AND e.crop = 0)
       ORDER BY m.created_at, m.id`,
    )
    .all(model.packId, model.packVersion) as { id: string; file_sha256: string }[];
  const report: IndexReport = { pack: { id: model.packId, version: model.packVersion }, total: todo.length, indexed: 0, failed: 0, problems: [] };
  const progress = (done: number) =>
    hooks.progress?.({ fraction: todo.length === 0 ? 1 : done / todo.length, step: done, total: todo.length, message: `${report.indexed} indexed, ${report.failed} failed` });
  progress(0);
  for (const [i, motif] of todo.entries()) {
    hooks.throwIfCancelled?.();
    try {
      const bytes = await library.files.read(motif.file_sha256);
      const e = await encoder.encodeImage(bytes, hooks.signal ? { signal: hooks.signal } : {});
      storeMotifEmbeddings(library.db, motif.id, model, e, encoder.model.spec.laclip.tau);
      report.indexed++;
    } catch (err) {
      // A worker crash or a cancel stops the run; one image the model cannot take does not.
      if (AppError.is(err, 'JOB_CANCELLED') || AppError.is(err, 'WORKER_CRASHED') || AppError.is(err, 'MODEL_INVALID')) throw err;
      report.failed++;
      if (report.problems.length < 200) report.problems.push({ motifId: motif.id, message: err instanceof Error ? err.message : String(err) });
    }
    progress(i + 1);
  }
  return report;
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
