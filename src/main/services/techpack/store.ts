import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contract';
import { TechPackDocumentSchema, type ResolvedTechPack, type TechPackDocument } from '../../../shared/techpack';
import { nowIso, type Db } from '../library';

/** What techpack_revisions.snapshot holds: everything a re-export needs besides image bytes and the font. */
export interface RevisionSnapshot {
  techPack: ResolvedTechPack;
  /** sha256 of the content that makes a revision different (the resolved pack without its revision fields). */
  contentHash: string;
  fontSha256: { regular: string; bold: string };
  /** The render and motif images the sheets show, by sha256: kept in the file store for re-export. */
  imageHashes: string[];
}

export interface TechPackRow {
  id: string;
  projectId: string;
  document: TechPackDocument;
  createdAt: string;
  updatedAt: string;
}

export interface RevisionRow {
  revision: number;
  createdAt: string;
  fileSha256: string | null;
  snapshot: RevisionSnapshot;
}

interface Row {
  id: string;
  project_id: string;
  document: string;
  created_at: string;
  updated_at: string;
}

function parseDocument(json: string, id: string): TechPackDocument {
  const parsed = TechPackDocumentSchema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new AppError('LIBRARY_CORRUPT', `Tech pack ${id} holds a document that does not match its schema: ${parsed.error.message}`);
  return parsed.data;
}

const toRow = (r: Row): TechPackRow => ({
  id: r.id,
  projectId: r.project_id,
  document: parseDocument(r.document, r.id),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The project's tech pack, or null while it has none. */
export function findTechPack(db: Db, projectId: string): TechPackRow | null {
  const existing = db.prepare('SELECT * FROM techpacks WHERE project_id = ? ORDER BY created_at, rowid LIMIT 1').get(projectId) as Row | undefined;
  return existing ? toRow(existing) : null;
}

/** The project's tech pack (one per project), made empty on first use. */
export function techPackFor(db: Db, projectId: string): TechPackRow {
  const existing = findTechPack(db, projectId);
  if (existing) return existing;
  const id = randomUUID();
  const now = nowIso();
  db.prepare('INSERT INTO techpacks (id, project_id, document, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(
    id,
    projectId,
    JSON.stringify(TechPackDocumentSchema.parse({})),
    now,
    now,
  );
  return toRow(db.prepare('SELECT * FROM techpacks WHERE id = ?').get(id) as Row);
}

export function saveDocument(db: Db, id: string, document: TechPackDocument): void {
  db.prepare('UPDATE techpacks SET document = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(document), nowIso(), id);
}

interface RevRow {
  revision: number;
  snapshot: string;
  file_sha256: string | null;
  created_at: string;
}
const toRevision = (r: RevRow): RevisionRow => ({
  revision: r.revision,
  createdAt: r.created_at,
  fileSha256: r.file_sha256,
  snapshot: JSON.parse(r.snapshot) as RevisionSnapshot,
});

export function listRevisions(db: Db, techpackId: string): RevisionRow[] {
  return (db.prepare('SELECT * FROM techpack_revisions WHERE techpack_id = ? ORDER BY revision').all(techpackId) as RevRow[]).map(toRevision);
}

export function getRevision(db: Db, techpackId: string, revision: number): RevisionRow {
  const row = db.prepare('SELECT * FROM techpack_revisions WHERE techpack_id = ? AND revision = ?').get(techpackId, revision) as RevRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `The tech pack has no revision ${revision}.`);
  return toRevision(row);
}

/** Records a revision; the primary key refuses a revision number taken meanwhile. */
export function insertRevision(db: Db, techpackId: string, snapshot: RevisionSnapshot, fileSha256: string, createdAt: string): void {
  db.prepare('INSERT INTO techpack_revisions (techpack_id, revision, snapshot, file_sha256, created_at) VALUES (?, ?, ?, ?, ?)').run(
    techpackId,
    snapshot.techPack.revision,
    JSON.stringify(snapshot),
    fileSha256,
    createdAt,
  );
}

/** One export written to disk: a PDF file, or a folder of PNG sheets. */
export interface ExportRecord {
  revision: number;
  format: 'pdf' | 'png';
  /** The PDF file, or the folder the sheets went into. */
  path: string;
  files: number;
  exportedAt: string;
}

interface ExportRow {
  revision: number;
  format: 'pdf' | 'png';
  path: string;
  files: number;
  exported_at: string;
}

export function insertExport(db: Db, techpackId: string, record: ExportRecord): void {
  db.prepare('INSERT INTO techpack_exports (techpack_id, revision, format, path, files, exported_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    techpackId,
    record.revision,
    record.format,
    record.path,
    record.files,
    record.exportedAt,
  );
}

/** Every export of the tech pack, oldest first. */
export function listExports(db: Db, techpackId: string): ExportRecord[] {
  return (db.prepare('SELECT * FROM techpack_exports WHERE techpack_id = ? ORDER BY exported_at, rowid').all(techpackId) as ExportRow[]).map((r) => ({
    revision: r.revision,
    format: r.format,
    path: r.path,
    files: r.files,
    exportedAt: r.exported_at,
  }));
}
