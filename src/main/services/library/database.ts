import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/contract';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export const DB_FILE = 'library.sqlite';

/**
 * Opens library.sqlite in WAL mode with foreign keys on, checks its integrity and brings its schema
 * up to date. A database that fails `PRAGMA integrity_check` is refused, never written to.
 */
export function openDatabase(dir: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, DB_FILE);
  let db: Db;
  try {
    db = new Database(file);
  } catch (err) {
    throw new AppError('LIBRARY_CORRUPT', `Cannot open the library database ${file}: ${(err as Error).message}`);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    checkIntegrity(db, file);
    migrate(db, file, migrations);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof AppError) throw err;
    // SQLITE_NOTADB and friends: the file is not a database at all.
    throw new AppError('LIBRARY_CORRUPT', `The library database ${file} cannot be read: ${(err as Error).message}`);
  }
}

export function checkIntegrity(db: Db, file: string): void {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
  if (problems.length > 0) {
    throw new AppError(
      'LIBRARY_CORRUPT',
      `The library database ${file} failed its integrity check (${problems.length} problem${problems.length > 1 ? 's' : ''}): ${problems.slice(0, 3).join('; ')}. Restore it from a backup (library.sqlite.bak-*) beside it.`,
      { problems: problems.slice(0, 20) },
    );
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the pending migrations. The file is backed up first (`library.sqlite.bak-v<from>`); the
 * migrations run in one transaction, and if one fails the transaction rolls back and the backup is
 * compared and kept so nothing is lost.
 */
export function migrate(db: Db, file: string, migrations: readonly Migration[] = MIGRATIONS): void {
  const from = schemaVersion(db);
  const latest = migrations.length === MIGRATIONS.length ? LATEST_SCHEMA_VERSION : migrations.length;
  if (from > latest) {
    throw new AppError(
      'MIGRATION_FAILED',
      `The library ${file} has schema version ${from}, newer than this app knows (${latest}). Update Jinxiu Studio to open it.`,
    );
  }
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return;

  let backup: string | null = null;
  if (from > 0) {
    backup = `${file}.bak-v${from}`;
    db.pragma('wal_checkpoint(TRUNCATE)');
    fs.copyFileSync(file, backup);
  }
  try {
    db.transaction(() => {
      for (const m of pending) {
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version}`);
      }
    })();
  } catch (err) {
    // The transaction rolled back, so the live file is as it was; verify that against the backup.
    const now = schemaVersion(db);
    if (now !== from && backup) {
      db.close();
      fs.copyFileSync(backup, file);
    }
    const failed = pending.find((m) => m.version === now + 1) ?? pending[0]!;
    throw new AppError(
      'MIGRATION_FAILED',
      `Migration ${failed.version} (${failed.name}) of ${file} failed: ${(err as Error).message}. The library was left at version ${from}${backup ? `; a backup is at ${backup}` : ''}.`,
    );
  }
}
