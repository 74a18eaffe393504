import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/contract';
import { APPLICATION_ID, MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export const DB_FILE = 'library.sqlite';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** The backup taken before migrating from `version`. */
export const backupFile = (file: string, version: number): string => `${file}.bak-v${version}`;

/** How long opening waits for another process that holds the library: SQLite's busy timeout per statement, and the whole open. */
export interface OpenTiming {
  busyTimeoutMs: number;
  retryForMs: number;
}

const DEFAULT_TIMING: OpenTiming = { busyTimeoutMs: 5000, retryForMs: 15_000 };

/**
 * Opens library.sqlite in WAL mode with foreign keys on, checks its integrity and brings its schema
 * up to date. Nothing is written to a file that is refused: not a database, not a Jinxiu library,
 * failing `PRAGMA integrity_check`, or made by a newer app.
 *
 * Opening is retried while SQLite answers SQLITE_BUSY: the busy timeout does not cover every race
 * (two processes creating the same library and switching it to WAL at the same moment get BUSY
 * without waiting), and nothing has been written when it comes, so starting over is safe.
 */
export function openDatabase(dir: string, migrations: readonly Migration[] = MIGRATIONS, timing: OpenTiming = DEFAULT_TIMING): Db {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new AppError('INVALID_INPUT', `The library folder ${dir} cannot be made: ${(err as Error).message}`);
  }
  const file = path.join(dir, DB_FILE);
  const deadline = Date.now() + timing.retryForMs;
  for (;;) {
    try {
      return openOnce(file, migrations, timing.busyTimeoutMs);
    } catch (err) {
      if (!isBusy(err)) throw err;
      if (Date.now() >= deadline) {
        throw new AppError(
          'CONFLICT',
          `The library database ${file} is locked by another process (another Jinxiu Studio or a jinxiu command writing to it) and stayed locked for ${Math.round(timing.retryForMs / 1000)} s. Close the other one and try again; the library was not changed.`,
        );
      }
      sleepSync(20 + Math.random() * 80); // jittered, so two openers do not collide again in step
    }
  }
}

function openOnce(file: string, migrations: readonly Migration[], busyTimeoutMs: number): Db {
  refuseNonDatabase(file);
  let db: Db;
  try {
    db = new Database(file);
  } catch (err) {
    if (isBusy(err)) throw err;
    throw new AppError('LIBRARY_CORRUPT', `Cannot open the library database ${file}: ${(err as Error).message}`);
  }
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma('foreign_keys = ON');
    checkIntegrity(db, file);
    checkIdentity(db, file);
    refuseNewer(db, file, latestVersion(migrations));
    // WAL lets readers work during a write and survives a crash between commits. FULL syncs the WAL at
    // every commit, so a commit the app has reported survives a power cut too, not only a crash: the
    // library's writes are few and small, so the fsync costs little.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    migrate(db, file, migrations);
    return db;
  } catch (err) {
    if (db.open) db.close();
    if (err instanceof AppError || isBusy(err)) throw err;
    throw new AppError('LIBRARY_CORRUPT', `The library database ${file} cannot be read: ${(err as Error).message}`);
  }
}

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT, ...). */
function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A file that does not start with SQLite's header is refused before SQLite touches it. */
function refuseNonDatabase(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new AppError('LIBRARY_CORRUPT', `Cannot read the library database ${file}: ${(err as Error).message}`);
  }
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    if (n === 0) return; // an empty file is an empty database
    if (n < head.length || !head.equals(SQLITE_HEADER)) {
      throw new AppError(
        'LIBRARY_CORRUPT',
        `${file} is not a SQLite database (its first bytes are not the SQLite header). Move it away, or restore library.sqlite from a backup (library.sqlite.bak-*) beside it.`,
      );
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function checkIntegrity(db: Db, file: string): void {
  let problems: string[];
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
  } catch (err) {
    if (isBusy(err)) throw err; // another process holds the file: that says nothing about its health
    // Damage bad enough that SQLite stops reading (SQLITE_CORRUPT, SQLITE_NOTADB) is a failed check too.
    problems = [(err as Error).message];
  }
  if (problems.length > 0) {
    throw new AppError(
      'LIBRARY_CORRUPT',
      `The library database ${file} failed its integrity check (${problems.length} problem${problems.length > 1 ? 's' : ''}): ${problems.slice(0, 3).join('; ')}. It was not changed. Restore it from a backup (library.sqlite.bak-*) beside it.`,
      { problems: problems.slice(0, 20) },
    );
  }
}

/** A database with tables but no Jinxiu application id belongs to someone else: never migrate it. */
function checkIdentity(db: Db, file: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId === APPLICATION_ID) return;
  const tables = (db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'`).get() as { n: number }).n;
  if (appId === 0 && tables === 0 && schemaVersion(db) === 0) return; // a new, empty file
  throw new AppError(
    'LIBRARY_CORRUPT',
    `${file} is a SQLite database but not a Jinxiu Studio library (application id ${appId}, ${tables} table${tables === 1 ? '' : 's'}). It was not changed; choose another library folder.`,
  );
}

function refuseNewer(db: Db, file: string, latest: number): void {
  const version = schemaVersion(db);
  if (version > latest) {
    throw new AppError(
      'MIGRATION_FAILED',
      `The library ${file} has schema version ${version}, newer than this Jinxiu Studio understands (${latest}): it was written by a newer version of the app. Update Jinxiu Studio to open it; the library was not changed.`,
      { libraryVersion: version, appVersion: latest },
    );
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function latestVersion(migrations: readonly Migration[]): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new AppError('INTERNAL', `Migration list is out of order: entry ${i} has version ${m.version}, expected ${i + 1}.`);
    }
  });
  return migrations.length;
}

/**
 * Applies the pending migrations. An existing library is backed up first
 * (`library.sqlite.bak-v<from>`) and migrated one transaction per migration; if any fails, the
 * connection is closed and the backup is copied back, so the library is exactly as it was before
 * migrating. A new library (version 0) is built in a single transaction instead: a failure leaves the
 * file empty, with nothing to restore.
 */
export function migrate(db: Db, file: string, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = latestVersion(migrations);
  refuseNewer(db, file, latest);
  const from = schemaVersion(db);
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return;

  if (from === 0) {
    try {
      applyMigrations(db, pending);
    } catch (err) {
      if (isBusy(err)) throw err; // the transaction was rolled back: the file is still new and empty
      const failed = pending.find((m) => m.version === Number((err as { migration?: number }).migration)) ?? pending[0]!;
      throw migrationError(err, failed, file, from, null, 'The new library was left empty.');
    }
    return;
  }
  const backup = backUp(db, file, from);
  for (const m of pending) {
    try {
      applyMigrations(db, [m]);
    } catch (err) {
      throw migrationError(err, m, file, from, backup, rollBackFile(db, file, backup));
    }
  }
}

function migrationError(err: unknown, m: Migration, file: string, from: number, backup: string | null, outcome: string): AppError {
  return new AppError(
    isDiskFull(err) ? 'DISK_FULL' : 'MIGRATION_FAILED',
    `Migration ${m.version} (${m.name}) of ${file} failed: ${messageOf(err)}. ${outcome}`,
    { from, failedVersion: m.version, backup },
  );
}

/**
 * Runs migrations in one IMMEDIATE transaction. The write lock is taken first and the version read
 * again under it, so a second process opening the same library at the same moment (the CLI beside
 * the app) skips what the first has just applied instead of failing on "table already exists".
 */
function applyMigrations(db: Db, list: readonly Migration[]): void {
  // foreign_keys cannot change inside a transaction; switching it off lets a migration rebuild tables,
  // and foreign_key_check before commit still refuses a migration that leaves a dangling reference.
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const m of list) {
        if (schemaVersion(db) >= m.version) continue;
        try {
          if (m.sql) db.exec(m.sql);
          m.up?.(db);
          const dangling = db.pragma('foreign_key_check') as { table: string; parent: string }[];
          if (dangling.length > 0) {
            const first = dangling[0]!;
            throw new AppError('MIGRATION_FAILED', `it leaves ${dangling.length} row(s) pointing nowhere (first: ${first.table} -> ${first.parent})`);
          }
          if (m.version === 1) db.pragma(`application_id = ${APPLICATION_ID}`);
          db.pragma(`user_version = ${m.version}`);
        } catch (err) {
          if (err && typeof err === 'object') Object.assign(err, { migration: m.version });
          throw err;
        }
      }
    }).immediate();
  } finally {
    if (db.open) db.pragma('foreign_keys = ON');
  }
}

/** A consistent copy made with VACUUM INTO, synced, then renamed into place: never a half backup. */
function backUp(db: Db, file: string, from: number): string {
  const backup = backupFile(file, from);
  const tmp = `${backup}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    db.prepare('VACUUM INTO ?').run(tmp);
    syncFile(tmp);
    fs.renameSync(tmp, backup);
    return backup;
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new AppError(
      isDiskFull(err) ? 'DISK_FULL' : 'MIGRATION_FAILED',
      `Could not back up ${file} before migrating it from version ${from}: ${(err as Error).message}. The library was not changed.`,
    );
  }
}

/** Puts the file back as it was before migrating; returns a sentence saying what was done. */
function rollBackFile(db: Db, file: string, backup: string): string {
  // Copy first: if that fails (a full disk), the live file is still whole and nothing is lost.
  const tmp = `${file}.restore-${randomBytes(4).toString('hex')}`;
  try {
    fs.copyFileSync(backup, tmp);
    syncFile(tmp);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    db.close();
    return `Restoring the backup failed too (${messageOf(err)}); the library is whole but partly migrated. Copy ${backup} over ${file} to go back.`;
  }
  // Fold the WAL into the file and close, so no WAL is left to be replayed over the restored file.
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  for (const side of [`${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(side, { force: true });
  fs.renameSync(tmp, file);
  return `The library was restored from the backup taken before migrating (${backup}), which is kept.`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL';
}
