import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/contract/errors';
import type { FlatSummary, FlatVersion, StoredFlat } from '../../../shared/contract/flats';
import { FlatHistorySchema, type FlatHistory } from '../../../shared/flat/commands/history';
import { loadFlat, migrateFlatHistory } from '../../../shared/flat/migrations';
import type { FlatDocument } from '../../../shared/flat/schema';

interface FlatRow {
  id: string;
  project_id: string;
  name: string;
  head_version: number;
  history: string | null;
  created_at: string;
  updated_at: string;
}
interface VersionRow {
  version: number;
  label: string | null;
  document: string;
  created_at: string;
}

const toSummary = (r: FlatRow): FlatSummary => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  headVersion: r.head_version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const toVersion = (r: Pick<VersionRow, 'version' | 'label' | 'created_at'>): FlatVersion => ({
  version: r.version,
  label: r.label,
  createdAt: r.created_at,
});

export interface FlatStoreOptions {
  /** Unnamed autosaves kept besides the head; named versions are never pruned. */
  keepAutosaves?: number;
  now?: () => string;
}

/**
 * Flats and their versions in the library. Every save is a new version, so a bad edit can always be
 * walked back; autosaves beyond `keepAutosaves` are pruned oldest first, named versions are kept.
 */
export class FlatStore {
  private readonly keepAutosaves: number;
  private readonly now: () => string;

  constructor(
    private readonly db: Database.Database,
    options: FlatStoreOptions = {},
  ) {
    this.keepAutosaves = options.keepAutosaves ?? 50;
    this.now = options.now ?? (() => new Date().toISOString());
  }

  list(projectId: string): FlatSummary[] {
    const rows = this.db
      .prepare('SELECT * FROM flats WHERE project_id = ? ORDER BY created_at DESC, rowid DESC')
      .all(projectId) as FlatRow[];
    return rows.map(toSummary);
  }

  get(id: string): StoredFlat {
    const row = this.row(id);
    const doc = this.document(id, row.head_version);
    // Undo patches are paths into the document as it was stored, so they go through the same
    // migrations as the document; where a step cannot carry them, the history starts afresh.
    const stored = this.db
      .prepare("SELECT json_extract(document, '$.schemaVersion') AS version FROM flat_versions WHERE flat_id = ? AND version = ?")
      .get(id, row.head_version) as { version: unknown } | undefined;
    return { flat: toSummary(row), doc, history: typeof stored?.version === 'number' ? readHistory(row.history, stored.version) : null };
  }

  /** The document takes the flat's id, so a flat made twice from one template stays two flats. */
  create(projectId: string, doc: FlatDocument): StoredFlat {
    const id = randomUUID();
    const stored = loadFlat({ ...doc, id });
    const now = this.now();
    try {
      this.db.transaction(() => {
        this.db
          .prepare('INSERT INTO flats (id, project_id, name, head_version, history, created_at, updated_at) VALUES (?, ?, ?, 1, NULL, ?, ?)')
          .run(id, projectId, stored.name || 'Untitled flat', now, now);
        this.db
          .prepare('INSERT INTO flat_versions (flat_id, version, label, document, created_at) VALUES (?, 1, NULL, ?, ?)')
          .run(id, JSON.stringify(stored), now);
      })();
    } catch (err) {
      // The projects table belongs to the library: its foreign key tells a missing project without this store reading it.
      if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new AppError('NOT_FOUND', `No project with id ${projectId}.`);
      throw err;
    }
    return this.get(id);
  }

  save(id: string, doc: FlatDocument, history: FlatHistory | null): FlatSummary {
    const stored = loadFlat({ ...doc, id });
    const checkedHistory = history === null ? null : checkHistory(history);
    const now = this.now();
    return this.db.transaction(() => {
      const row = this.row(id);
      const version = row.head_version + 1;
      this.db
        .prepare('INSERT INTO flat_versions (flat_id, version, label, document, created_at) VALUES (?, ?, NULL, ?, ?)')
        .run(id, version, JSON.stringify(stored), now);
      const updated = this.db
        .prepare('UPDATE flats SET name = ?, head_version = ?, history = ?, updated_at = ? WHERE id = ? RETURNING *')
        .get(stored.name || row.name, version, checkedHistory === null ? null : JSON.stringify(checkedHistory), now, id) as FlatRow;
      this.prune(id, version);
      return toSummary(updated);
    })();
  }

  versions(id: string): FlatVersion[] {
    this.row(id);
    const rows = this.db
      .prepare('SELECT version, label, created_at FROM flat_versions WHERE flat_id = ? ORDER BY version DESC')
      .all(id) as VersionRow[];
    return rows.map(toVersion);
  }

  nameVersion(id: string, version: number, label: string): FlatVersion {
    this.row(id);
    const trimmed = label.trim();
    const row = this.db
      .prepare('UPDATE flat_versions SET label = ? WHERE flat_id = ? AND version = ? RETURNING version, label, created_at')
      .get(trimmed.length > 0 ? trimmed : null, id, version) as VersionRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `The flat has no version ${version}.`);
    return toVersion(row);
  }

  /**
   * The old document becomes a new head version; the versions in between stay, so a restore can be
   * undone by restoring again. The undo history described the path to the old head, so it is dropped.
   */
  restore(id: string, version: number): StoredFlat {
    const doc = this.document(id, version);
    const now = this.now();
    this.db.transaction(() => {
      const row = this.row(id);
      const next = row.head_version + 1;
      this.db
        .prepare('INSERT INTO flat_versions (flat_id, version, label, document, created_at) VALUES (?, ?, NULL, ?, ?)')
        .run(id, next, JSON.stringify(doc), now);
      this.db.prepare('UPDATE flats SET name = ?, head_version = ?, history = NULL, updated_at = ? WHERE id = ?').run(doc.name || row.name, next, now, id);
      this.prune(id, next);
    })();
    return this.get(id);
  }

  delete(id: string): void {
    const info = this.db.prepare('DELETE FROM flats WHERE id = ?').run(id);
    if (info.changes === 0) throw new AppError('NOT_FOUND', `No flat with id ${id}.`);
  }

  private row(id: string): FlatRow {
    const row = this.db.prepare('SELECT * FROM flats WHERE id = ?').get(id) as FlatRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No flat with id ${id}.`);
    return row;
  }

  private document(id: string, version: number): FlatDocument {
    const row = this.db.prepare('SELECT document FROM flat_versions WHERE flat_id = ? AND version = ?').get(id, version) as
      | Pick<VersionRow, 'document'>
      | undefined;
    if (!row) throw new AppError('NOT_FOUND', `The flat has no version ${version}.`);
    // Stored documents pass through the flat migrations, so versions saved by an older studio open.
    return loadFlat(JSON.parse(row.document));
  }

  private prune(id: string, head: number): void {
    this.db
      .prepare(
        `DELETE FROM flat_versions WHERE flat_id = ? AND label IS NULL AND version <> ? AND version NOT IN (
           SELECT version FROM flat_versions WHERE flat_id = ? AND label IS NULL AND version <> ? ORDER BY version DESC LIMIT ?)`,
      )
      .run(id, head, id, head, this.keepAutosaves);
  }
}

function checkHistory(history: FlatHistory): FlatHistory {
  const parsed = FlatHistorySchema.safeParse(history);
  if (!parsed.success) throw new AppError('INVALID_INPUT', `The edit history is not valid: ${parsed.error.issues[0]?.message ?? ''}`);
  if (parsed.data.cursor > parsed.data.entries.length) throw new AppError('INVALID_INPUT', 'The edit history points past its last entry.');
  return parsed.data;
}

/**
 * The history stored beside a document of schema version `version`, migrated with it. One that no
 * longer reads (say, from a newer studio) costs the undo stack, never the flat.
 */
function readHistory(json: string | null, version: number): FlatHistory | null {
  if (json === null) return null;
  try {
    const migrated = migrateFlatHistory(JSON.parse(json), version);
    return migrated === null ? null : checkHistory(migrated as FlatHistory);
  } catch {
    return null;
  }
}
