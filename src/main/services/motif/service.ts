import fs from 'node:fs';
import path from 'node:path';
import { AppError, type Job, type JobProgress } from '../../../shared/contract';
import type { Motif, MotifCaptionSearch, MotifImportRequest, MotifModelSearch, MotifSearchRequest, MotifSearchResult, MotifVectorStatus } from '../../../shared/contract/motifs';
import type { InferenceWorker } from '../../workers';
import type { JobQueue } from '../jobs';
import type { Library } from '../library';
import type { ModelManager } from '../models';
import { MotifEncoder, readMotifModel } from './encoder';
import { importMotifs, type ImportReport } from './import';
import { searchCaptions } from './search';
import { findMotif, getMotif, listMotifs } from './store';
import { embeddingModelOf, indexMotifs, LaclipIndexCache, vectorStatus, type IndexReport } from './vectors';
import { searchMotifs, type VectorSide } from './motif-search';
import { decodeRgb, pixelBox } from './preprocess';

/** A query image read from disk: larger than any photo a technician would search with. */
const MAX_QUERY_IMAGE_BYTES = 64 * 1024 * 1024;

export const IMPORT_JOB = 'motifs.import';
export const INDEX_JOB = 'motifs.index';

/** What model search needs; left out (tests of import and captions), model search says so. */
export interface MotifModelDeps {
  models: ModelManager;
  inference: () => InferenceWorker;
}

/** Whether a query image names a file of the library (by its sha256) rather than a path on disk. */
export function isLibraryFileRef(ref: string): boolean {
  return /^[0-9a-f]{64}$/i.test(ref);
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
    jobs.register<{ packId?: string; full?: boolean }, IndexReport>(INDEX_JOB, async (ctx) => {
      const encoder = await this.encoderFor(ctx.params.packId);
      try {
        const hooks = { progress: (p: JobProgress) => ctx.progress(p), throwIfCancelled: () => ctx.throwIfCancelled(), signal: ctx.signal };
        return await indexMotifs(this.library, encoder, hooks, { full: ctx.params.full === true });
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

  /**
   * Re-indexing when the pack changed: crop weights again after a tau change, embeddings of the new
   * version, the old version's dropped once all are in. `full` encodes every motif again.
   */
  startReindex(request: { packId?: string; full?: boolean } = {}): Job {
    return this.jobs.enqueue(INDEX_JOB, { ...(request.packId ? { packId: request.packId } : {}), ...(request.full ? { full: true } : {}) });
  }

  /** Whether the motifs are indexed with the pack in use, and the job that would make them so. */
  async vectorStatus(packId?: string): Promise<MotifVectorStatus> {
    const encoder = await this.encoderOrStatus(packId);
    if (!('model' in encoder)) return encoder;
    return vectorStatus(this.library.db, embeddingModelOf(encoder), encoder.model.spec.laclip.tau, packId);
  }

  /** motifs.search: text, image or image region; hybrid, caption or vector (motif-search.ts). */
  async search(request: MotifSearchRequest): Promise<MotifSearchResult> {
    const found = request.mode === 'caption' ? null : await this.encoderOrStatus();
    if (!found) {
      const status: MotifVectorStatus = { state: 'unavailable', pack: null, motifs: 0, indexed: 0, message: 'Caption search only: vectors were not asked for.', offer: null };
      return searchMotifs({ db: this.library.db, vectors: null, status }, request);
    }
    if (!('model' in found)) return searchMotifs({ db: this.library.db, vectors: null, status: found }, request);
    const encoder = found;
    const model = embeddingModelOf(encoder);
    const status = vectorStatus(this.library.db, model, encoder.model.spec.laclip.tau);
    const index = this.indexes.get(this.library.db, model, encoder.model.spec.laclip);
    const vectors: VectorSide | null =
      index.size === 0
        ? null
        : {
            index,
            encodeText: (text) => encoder.encodeText(text),
            encodeImage: async (image, box) => {
              const decoded = await decodeRgb(await this.readImage(image));
              return encoder.encodeView(decoded, box ? pixelBox(box, decoded.width, decoded.height) : null);
            },
          };
    return searchMotifs({ db: this.library.db, vectors, status }, request);
  }

  /** A query image: a file of the library by sha256, or a file on disk by absolute path. */
  private async readImage(ref: string): Promise<Buffer> {
    if (isLibraryFileRef(ref)) {
      try {
        return await this.library.files.read(ref.toLowerCase());
      } catch (err) {
        throw new AppError('NOT_FOUND', `No file ${ref} in the library (${(err as Error).message}).`);
      }
    }
    if (!path.isAbsolute(ref)) throw new AppError('INVALID_INPUT', `Give the query image as a library sha256 or an absolute path, not "${ref}".`);
    const stat = await fs.promises.stat(ref).catch(() => null);
    if (!stat?.isFile()) throw new AppError('NOT_FOUND', `There is no image file at ${ref}.`);
    if (stat.size > MAX_QUERY_IMAGE_BYTES) throw new AppError('INVALID_INPUT', `${ref} is ${stat.size} bytes; a query image may be at most ${MAX_QUERY_IMAGE_BYTES}.`);
    return fs.promises.readFile(ref);
  }

  /** The encoder, or the vector status that says why there is none. */
  private async encoderOrStatus(packId?: string): Promise<MotifEncoder | MotifVectorStatus> {
    try {
      return await this.encoderFor(packId);
    } catch (err) {
      if (!AppError.is(err, 'MODEL_MISSING') && !AppError.is(err, 'MODEL_INVALID') && !AppError.is(err, 'NOT_FOUND')) throw err;
      const motifs = this.library.db.prepare('SELECT count(*) FROM motifs').pluck().get() as number;
      return { state: 'unavailable', pack: null, motifs, indexed: 0, message: (err as Error).message, offer: null };
    }
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

  find(id: string): Motif | null {
    return findMotif(this.library.db, id);
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
