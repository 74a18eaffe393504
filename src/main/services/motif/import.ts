import { createHash, randomUUID } from 'node:crypto';
import { AppError, type JobProgress } from '../../../shared/contract';
import type { Library } from '../library';
import { nowIso } from '../library';
import { motifTextColumns } from './schema';
import type { MotifRow } from './store';
import { openImportSource, type ImportLayout, type ImportProblem, type SourceOptions } from './sources';
import { decodeMotif } from './thumbnail';

export type ImportOptions = SourceOptions;

export interface ImportReport {
  layout: ImportLayout;
  captionsFile: string;
  total: number;
  imported: number;
  /** Already in the library (an earlier or interrupted run, or another collection): skipped. */
  alreadyIn: number;
  /** The same image bytes twice in this collection: the first one is kept. */
  duplicates: number;
  /** Lines and images that could not be imported; problems lists the first MAX_PROBLEMS. */
  failed: number;
  problems: ImportProblem[];
}

export interface ImportHooks {
  progress?(p: JobProgress): void;
  /** Called between images; throws to stop (a cancelled job). */
  throwIfCancelled?(): void;
}

const MAX_PROBLEMS = 200;
/** Progress is saved at most this often (each save is a database write). */
const PROGRESS_EVERY_MS = 250;

/**
 * Imports a folder of captioned images as motifs. Every motif is written whole or not at all (file
 * bytes first, then its row and its caption index in one transaction), and images are known by
 * sha256, so a run stopped anywhere (crash, cancel, full disk) is resumed by running it again: what
 * is in is skipped. An image that cannot be read is reported and skipped, never half-imported.
 */
export async function importMotifs(library: Library, options: ImportOptions, hooks: ImportHooks = {}): Promise<ImportReport> {
  const source = await openImportSource(options);
  const report: ImportReport = {
    layout: source.layout,
    captionsFile: source.captionsFile,
    total: source.total,
    imported: 0,
    alreadyIn: 0,
    duplicates: 0,
    failed: 0,
    problems: [],
  };
  const db = library.db;
  const existing = db.prepare('SELECT id FROM motifs WHERE file_sha256 = ?').pluck();
  const insertMotif = db.prepare(
    `INSERT INTO motifs (id, file_sha256, thumb_sha256, caption_zh, caption_en, source, licence, attributes, created_at)
     VALUES (@id, @file_sha256, @thumb_sha256, @caption_zh, @caption_en, @source, @licence, @attributes, @created_at)
     ON CONFLICT (file_sha256) DO NOTHING`,
  );
  const insertText = db.prepare('INSERT INTO motif_text (motif_id, title, caption, context) VALUES (@motif_id, @title, @caption, @context)');
  const save = db.transaction((row: MotifInsert) => {
    if (insertMotif.run(row).changes === 0) return false;
    insertText.run(motifTextColumns({ id: row.id, caption_zh: row.caption_zh, caption_en: row.caption_en, attributes: row.attributes }));
    return true;
  });

  const seenThisRun = new Set<string>();
  let done = 0;
  let lastProgress = 0;
  const progress = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = now;
    hooks.progress?.({
      fraction: report.total === 0 ? 1 : Math.min(1, done / report.total),
      step: done,
      total: report.total,
      message: `${report.imported} imported, ${report.alreadyIn} already in, ${report.failed} failed`,
    });
  };
  progress(true);

  for await (const item of source.items()) {
    hooks.throwIfCancelled?.();
    done++;
    try {
      const bytes = await item.load();
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (seenThisRun.has(sha256)) {
        report.duplicates++;
        continue;
      }
      seenThisRun.add(sha256);
      if (existing.get(sha256) !== undefined) {
        report.alreadyIn++;
        continue;
      }
      const decoded = await decodeMotif(bytes);
      // Staged: if the thumbnail or the row cannot be stored (a full disk), the image stored before it goes too.
      const saved = await library.files.staged(async (files) => {
        const file = await files.put(bytes, decoded.mime);
        const thumb = await files.put(decoded.thumbnail, 'image/webp');
        return save({
          id: randomUUID(),
          file_sha256: file.sha256,
          thumb_sha256: thumb.sha256,
          caption_zh: item.captionZh,
          caption_en: item.captionEn,
          source: item.source,
          licence: item.licence,
          attributes: JSON.stringify({ ...item.attributes, width: decoded.width, height: decoded.height }),
          created_at: nowIso(),
        });
      });
      if (saved) report.imported++;
      else report.alreadyIn++;
    } catch (err) {
      // A full disk or a broken library stops the import (what is in stays in); a bad image does not.
      if (AppError.is(err, 'DISK_FULL') || AppError.is(err, 'LIBRARY_CORRUPT')) throw err;
      source.problems.push({ at: item.origin, message: err instanceof Error ? err.message : String(err) });
    } finally {
      progress(false);
    }
  }
  report.failed = source.problems.length;
  report.problems = source.problems.slice(0, MAX_PROBLEMS);
  progress(true);
  return report;
}

/** What an import writes: a row as stored, always with its thumbnail (the column itself may be null). */
type MotifInsert = MotifRow & { thumb_sha256: string };
