import { createHash } from 'node:crypto';
import path from 'node:path';
import { AppError, TechPackExportRequestSchema, type Job } from '../../../shared/contract';
import {
  checkContent,
  outlineOf,
  readDraft,
  report,
  withPackCaptions,
  TechPackDocumentSchema,
  type Paper,
  type PreflightReport,
  type ResolvedTechPack,
  type SheetLanguage,
  type TechPackDocument,
  type TechPackDocumentInput,
  type TechPackOutline,
} from '../../../shared/techpack';
import sharp from 'sharp';
import type { JobQueue } from '../jobs';
import { nowIso, type Library } from '../library';
import { checkOutputFile, checkOutputFolder, makeOutputFolder, writeFileAtomic } from '../outputs';
import { imageMime, type ImageSource } from './display';
import { sheetFonts } from './font';
import { imageHashes, renderTechPack, sheetCount, type SheetFormat } from './render';
import { resolveTechPack } from './resolve';
import type { TechPackSources } from './sources';
import { layoutTechPack } from './sheets';
import {
  findTechPack,
  getRevision,
  insertExport,
  insertRevision,
  listExports,
  listRevisions,
  saveDocument,
  techPackFor,
  type ExportRecord,
  type RevisionSnapshot,
  type TechPackRow,
} from './store';

export interface ExportRequest {
  projectId: string;
  format: SheetFormat;
  paper?: Paper;
  dpi?: number;
  /** A file for a PDF, a folder for PNG sheets (sheet-01.png, ...); nothing is written without it. */
  out?: string;
  /**
   * The sheets' own labels (default bilingual, English first). Only the files written follow it: the
   * revision, its snapshot and its stored PDF are the document's, the same in every language.
   */
  language?: SheetLanguage;
}

export interface ExportedFile {
  path: string | null;
  sha256: string;
  bytes: number;
}

export interface ExportResult {
  revision: number;
  /** False when nothing changed since the latest revision, which was exported again. */
  newRevision: boolean;
  files: ExportedFile[];
  preflight: PreflightReport;
}

export interface RevisionInfo {
  revision: number;
  createdAt: string;
  note: string;
  fileSha256: string | null;
  imageHashes: string[];
  /** Every export written to disk that printed this revision (a re-export of it included), oldest first. */
  exports: Omit<ExportRecord, 'revision'>[];
}

export interface SheetPreview {
  png: Buffer | null;
  sheets: number;
  preflight: PreflightReport;
  outline: TechPackOutline | null;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/**
 * Renders are RGBA PNGs; pdfkit splits the alpha channel of such a PNG asynchronously, and the order
 * in which those images finish decides their PDF object numbers, so two exports could differ. Printed
 * on white paper anyway, PNGs are flattened onto white first: opaque PNGs embed synchronously.
 */
async function printableImage(bytes: Buffer): Promise<Buffer> {
  if (imageMime(bytes) !== 'image/png') return bytes;
  return sharp(bytes).flatten({ background: '#ffffff' }).removeAlpha().png({ compressionLevel: 9 }).toBuffer();
}

/** What makes two revisions different: the resolved pack without its revision number, date and log. */
function contentHash(tp: ResolvedTechPack): string {
  const { revision: _r, revisedAt: _d, revisionLog: _l, ...content } = tp;
  return sha256(JSON.stringify(content));
}

/**
 * Tech packs: the document, preflight, export to PDF/PNG and the revision history. Every export
 * either records a new revision (when the resolved content changed) or re-exports the latest one, so
 * each PDF a factory holds matches a revision whose snapshot can be exported again byte for byte.
 */
export const EXPORT_JOB = 'techpack.export';

export class TechPackService {
  /**
   * `library` serves the tech pack's own tables and the image files; everything else it prints comes
   * from `sources`. With a job queue, exports can also run as jobs (startExport).
   */
  constructor(
    private readonly library: Library,
    private readonly sources: TechPackSources,
    private readonly jobs: JobQueue | null = null,
  ) {
    jobs?.register<unknown, ExportResult>(EXPORT_JOB, async (ctx) => {
      // Params come back from the database after a restart: check them again.
      const request = TechPackExportRequestSchema.parse(ctx.params);
      ctx.progress({ fraction: null, message: 'preflight and layout' });
      const result = await this.export(request);
      ctx.progress({ fraction: 1, message: `revision ${result.revision}` });
      return result;
    });
  }

  startExport(request: ExportRequest): Job {
    if (!this.jobs) throw new AppError('INTERNAL', 'This tech-pack service has no job queue.');
    this.sources.projects.get(request.projectId);
    return this.jobs.enqueue(EXPORT_JOB, request, { projectId: request.projectId });
  }

  get(projectId: string): TechPackRow {
    this.sources.projects.get(projectId);
    return techPackFor(this.library.db, projectId);
  }

  /** As get(), but null instead of making an empty tech pack, so merely looking changes nothing. */
  find(projectId: string): TechPackRow | null {
    this.sources.projects.get(projectId);
    return findTechPack(this.library.db, projectId);
  }

  save(projectId: string, document: TechPackDocumentInput | unknown): TechPackRow {
    const parsed = TechPackDocumentSchema.safeParse(document);
    if (!parsed.success)
      throw new AppError(
        'INVALID_INPUT',
        parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '),
        { issues: parsed.error.issues },
      );
    const row = this.get(projectId);
    saveDocument(this.library.db, row.id, parsed.data);
    return techPackFor(this.library.db, projectId);
  }

  /**
   * Resolves the pack as the next revision would be, and checks it (content and text fit on `paper`);
   * with a `draft`, the document as the form holds it, unsaved (an invalid one gives its schema problems).
   */
  preflight(projectId: string, paper?: Paper, draft?: unknown): PreflightReport {
    if (draft === undefined) return this.prepare(projectId, paper).preflight;
    const read = readDraft(draft);
    return read.ok ? this.prepare(projectId, paper, read.document).preflight : report(read.issues);
  }

  private prepare(projectId: string, paper?: Paper, draft?: TechPackDocument) {
    const project = this.sources.projects.get(projectId);
    const row = techPackFor(this.library.db, projectId);
    const revisions = listRevisions(this.library.db, row.id);
    const latest = revisions.at(-1) ?? null;
    const resolved = resolveTechPack(this.sources, {
      techpackId: row.id,
      projectId,
      projectName: project.name,
      document: draft ?? row.document,
      revision: (latest?.revision ?? 0) + 1,
      revisedAt: nowIso(),
      previousLog: latest?.snapshot.techPack.revisionLog ?? [],
    });
    const next = withPackCaptions(resolved.techPack, (draft ?? row.document).motifCaptions);
    // Unchanged since the latest revision, an export prints that revision again: the preview and
    // preflight show it as it is (its number and date), not a revision that would never be made.
    const hash = contentHash(next);
    const techPack = latest && latest.snapshot.contentHash === hash ? latest.snapshot.techPack : next;
    const layout = layoutTechPack({ ...techPack, paper: paper ?? techPack.paper }, sheetFonts());
    return { row, latest, techPack, hash, preflight: report([...resolved.issues, ...checkContent(techPack), ...layout.issues]) };
  }

  private async images(tp: ResolvedTechPack): Promise<ImageSource> {
    const bytes = new Map<string, Buffer>();
    for (const sha of imageHashes(tp)) bytes.set(sha, await printableImage(await this.library.files.read(sha)));
    return (sha) => {
      const b = bytes.get(sha);
      if (!b) throw new AppError('INTERNAL', `Image ${sha} was not loaded for the sheets.`);
      return b;
    };
  }

  async export(request: ExportRequest): Promise<ExportResult> {
    const { row, latest, techPack, hash, preflight } = this.prepare(request.projectId, request.paper);
    // Before a revision is recorded: an export that cannot be written must change nothing.
    await checkOut(request);
    if (!preflight.ok) {
      const errors = preflight.issues.filter((i) => i.severity === 'error').map((i) => `- ${i.message}`);
      throw new AppError('INVALID_INPUT', `The tech pack cannot be exported yet:\n${errors.join('\n')}`, { preflight }, {
        reason: 'techpackNotExportable',
        params: { count: errors.length },
      });
    }
    let snapshot: RevisionSnapshot;
    let newRevision = false;
    if (latest && latest.snapshot.contentHash === hash) snapshot = latest.snapshot;
    else {
      const fonts = sheetFonts();
      snapshot = { techPack, contentHash: hash, fontSha256: { regular: fonts.regular.sha256, bold: fonts.bold.sha256 }, imageHashes: imageHashes(techPack) };
      // The revision's own file: the PDF on the document's paper, kept in the library.
      const [pdf] = await renderTechPack(techPack, await this.images(techPack), { format: 'pdf' });
      await this.library.files.staged(async (files) => {
        const stored = await files.put(pdf!, 'application/pdf');
        this.library.db.transaction(() => {
          insertRevision(this.library.db, row.id, snapshot, stored.sha256, techPack.revisedAt);
          // The note now belongs to this revision's log entry; the next revision starts a fresh one.
          saveDocument(this.library.db, row.id, { ...row.document, revisionNote: '' });
        })();
      });
      newRevision = true;
    }
    const files = await this.write(snapshot.techPack, request);
    this.recordExport(row.id, snapshot.techPack.revision, request, files);
    return { revision: snapshot.techPack.revision, newRevision, files, preflight };
  }

  revisions(projectId: string): RevisionInfo[] {
    const row = this.get(projectId);
    const exports = listExports(this.library.db, row.id);
    return listRevisions(this.library.db, row.id).map((r) => ({
      revision: r.revision,
      createdAt: r.createdAt,
      note: r.snapshot.techPack.revisionLog.at(-1)?.note ?? '',
      fileSha256: r.fileSha256,
      imageHashes: r.snapshot.imageHashes,
      exports: exports.filter((e) => e.revision === r.revision).map(({ revision: _r, ...e }) => e),
    }));
  }

  /**
   * Lists an export written to disk under the revision it printed: two exports of an unchanged
   * document share a revision, and the history shows both files. Nothing written, nothing listed.
   */
  private recordExport(techpackId: string, revision: number, request: ExportRequest, files: ExportedFile[]): void {
    if (!request.out || files.length === 0) return;
    const where = request.format === 'pdf' ? files[0]!.path! : path.resolve(request.out);
    insertExport(this.library.db, techpackId, { revision, format: request.format, path: where, files: files.length, exportedAt: nowIso() });
  }

  /** Exports a recorded revision from its snapshot: the same bytes as when it was made. */
  async exportRevision(request: ExportRequest & { revision: number }): Promise<ExportResult> {
    const row = this.get(request.projectId);
    const rev = getRevision(this.library.db, row.id, request.revision);
    await checkOut(request);
    const fonts = sheetFonts();
    if (fonts.regular.sha256 !== rev.snapshot.fontSha256.regular || fonts.bold.sha256 !== rev.snapshot.fontSha256.bold)
      throw new AppError(
        'CONFLICT',
        `Revision ${request.revision} was set in a different font file than the one installed now; its stored PDF (${rev.fileSha256}) is the faithful copy.`,
      );
    const files = await this.write(rev.snapshot.techPack, request);
    this.recordExport(row.id, rev.revision, request, files);
    return { revision: rev.revision, newRevision: false, files, preflight: report([]) };
  }

  /**
   * One sheet as PNG for the editor's live preview (the next revision as it would be exported), with
   * the outline of what the form shows; with a `draft`, of the document as typed, saving nothing. An
   * invalid draft has no sheets to draw: png and outline are null and preflight names the problems.
   */
  async previewSheet(projectId: string, sheet: number, dpi: number, draft?: unknown, language?: SheetLanguage): Promise<SheetPreview> {
    const read = draft === undefined ? null : readDraft(draft);
    if (read && !read.ok) return { png: null, sheets: 0, preflight: report(read.issues), outline: null };
    const { techPack, preflight } = this.prepare(projectId, undefined, read?.document);
    const sheets = sheetCount(techPack);
    if (sheet < 0 || sheet >= sheets) throw new AppError('NOT_FOUND', `The tech pack has ${sheets} sheets; there is no sheet ${sheet + 1}.`);
    const [png] = await renderTechPack(techPack, await this.images(techPack), { format: 'png', dpi, sheet, language });
    return { png: png!, sheets, preflight, outline: outlineOf(techPack) };
  }

  private async write(tp: ResolvedTechPack, request: ExportRequest): Promise<ExportedFile[]> {
    const outputs = await renderTechPack(tp, await this.images(tp), { format: request.format, paper: request.paper, dpi: request.dpi, language: request.language });
    const out = request.out ? path.resolve(request.out) : null;
    const files: ExportedFile[] = [];
    for (const [i, bytes] of outputs.entries()) {
      let file: string | null = null;
      if (out) {
        file = request.format === 'pdf' ? out : path.join(out, `sheet-${String(i + 1).padStart(2, '0')}.png`);
        await makeOutputFolder(path.dirname(file));
        await writeFileAtomic(file, bytes);
      }
      files.push({ path: file, sha256: sha256(bytes), bytes: bytes.length });
    }
    return files;
  }
}

async function checkOut(request: ExportRequest): Promise<void> {
  if (!request.out) return;
  if (request.format === 'pdf') await checkOutputFile(request.out);
  else await checkOutputFolder(request.out);
}
