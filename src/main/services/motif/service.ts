import { AppError, type Job } from '../../../shared/contract';
import type { Motif, MotifCaptionSearch, MotifImportRequest, MotifModelSearch } from '../../../shared/contract/motifs';
import type { InferenceWorker } from '../../workers';
import type { JobQueue } from '../jobs';
import type { Library } from '../library';
import type { ModelManager } from '../models';
import { MotifEncoder, readMotifModel } from './encoder';
import { importMotifs, type ImportReport } from './import';
import { searchCaptions } from './search';
import { getMotif, listMotifs } from './store';
import { embeddingModelOf, indexMotifs, LaclipIndexCache, type IndexReport } from './vectors';

export const IMPORT_JOB = 'motifs.import';
export const INDEX_JOB = 'motifs.index';

/** What model search needs; left out (tests of import and captions), model search says so. */
export interface MotifModelDeps {
  models: ModelManager;
  inference: () => InferenceWorker;
}

/** The motif library: import, caption search, model indexing and search. One per open library. */
export class MotifService {
  private encoder: MotifEncoder | null = null;
  private readonly indexes = new LaclipIndexCache();

  constructor(
    private readonly library: Library,
    private readonly jobs: JobQueue,
    private readonly deps: MotifModelDeps | null = null,
  ) {
    jobs.register<MotifImportRequest, ImportReport>(IMPORT_JOB, (ctx) =>
      importMotifs(this.library, ctx.params, { progress: (p) => ctx.progress(p), throwIfCancelled: () => ctx.throwIfCancelled() }),
    );
    jobs.register<{ packId?: string }, IndexReport>(INDEX_JOB, async (ctx) => {
      const encoder = await this.encoderFor(ctx.params.packId);
      try {
        return await indexMotifs(this.library, encoder, { progress: (p) => ctx.progress(p), throwIfCancelled: () => ctx.throwIfCancelled(), signal: ctx.signal });
      } finally {
        this.indexes.clear();
      }
    });
  }

  /** Queues an import; running it again over the same folder resumes it (what is in is skipped). */
  startImport(request: MotifImportRequest): Job {
    return this.jobs.enqueue(IMPORT_JOB, request);
  }

  /** Queues an interrupted, cancelled or failed import again with the same parameters. */
  resumeImport(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (job.kind !== IMPORT_JOB) throw new AppError('INVALID_INPUT', `Job ${jobId} is a ${job.kind} job, not a motif import.`);
    if (job.state === 'queued' || job.state === 'running') return job;
    return this.jobs.enqueue(IMPORT_JOB, job.params);
  }

  /** Queues indexing of the motifs not yet encoded with the pack (the default motif pack unless named). */
  startIndex(request: { packId?: string } = {}): Job {
    return this.jobs.enqueue(INDEX_JOB, request);
  }

  searchCaptions(query: string, limit?: number): MotifCaptionSearch {
    return searchCaptions(this.library.db, query, limit);
  }

  /** LACLIP search: the query through the pack's text graph, scored against every indexed motif. */
  async searchByModel(query: string, limit = 20): Promise<MotifModelSearch> {
    const encoder = await this.encoderFor();
    const model = embeddingModelOf(encoder);
    const t = await encoder.encodeText(query);
    const index = this.indexes.get(this.library.db, model, encoder.model.spec.laclip);
    const hits = await index.search(t, limit);
    const box = this.library.db.prepare('SELECT box FROM motif_embeddings WHERE motif_id = ? AND pack_id = ? AND pack_version = ? AND crop = ?').pluck();
    return {
      query,
      pack: { id: model.packId, version: model.packVersion },
      indexed: index.size,
      hits: hits.map((h) => {
        const stored = h.crop ? (box.get(h.motifId, model.packId, model.packVersion, h.crop.crop + 1) as string | null | undefined) : null;
        return {
          motif: getMotif(this.library.db, h.motifId),
          score: h.score,
          crop: h.crop ? { index: h.crop.crop, box: stored ? (JSON.parse(stored) as number[]) : null, similarity: h.crop.similarity } : null,
        };
      }),
    };
  }

  get(id: string): Motif {
    return getMotif(this.library.db, id);
  }

  list(limit?: number, offset?: number): Motif[] {
    return listMotifs(this.library.db, limit, offset);
  }

  close(): void {
    this.indexes.clear();
  }

  /** The encoder of the named pack, or of the default motif pack; kept while the pack stays the same. */
  private async encoderFor(packId?: string): Promise<MotifEncoder> {
    if (!this.deps) throw new AppError('MODEL_MISSING', 'Motif search by model is not available here (no model packs or inference worker).');
    const loc = packId ? await this.deps.models.locate(packId) : await this.deps.models.defaultPack('motif');
    if (!loc) throw new AppError('MODEL_MISSING', 'No motif pack is installed: install one (jinxiu models install) to search motifs by model.');
    if (this.encoder && this.encoder.model.dir === loc.dir && this.encoder.model.version === loc.manifest.base.version) return this.encoder;
    const encoder = new MotifEncoder(this.deps.inference(), readMotifModel(loc.dir));
    // Only the default pack's encoder is kept; a named one is used for its job alone.
    if (!packId) this.encoder = encoder;
    return encoder;
  }
}
