import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract';
import { APPLICATION_ID, DB_FILE, Library, MIGRATIONS, backupFile, openDatabase, type Migration } from './index';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-db-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Runs fn, expects it to throw an AppError, and returns that error. */
function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw new Error(`expected an AppError, got ${String(err)}`);
  }
  throw new Error('expected an AppError, nothing was thrown');
}

/** Reads a library file with plain better-sqlite3, read-only, outside the code under test. */
function peek<T>(dir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(dir, DB_FILE), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const columns = (db: Database.Database, table: string) =>
  (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((r) => r.name);

describe('opening a library', () => {
  it('creates library.sqlite in WAL mode with foreign keys on, at the latest schema, marked as a Jinxiu library', () => {
    const dir = tempDir();
    const lib = Library.open(dir);
    expect(lib.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(lib.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(lib.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(lib.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(lib.db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    lib.close();
    // A second open finds nothing to migrate and takes no backup.
    Library.open(dir).close();
    expect(fs.readdirSync(dir).filter((f) => f.includes('.bak-'))).toEqual([]);
  });

  it('refuses a file that is not a database, and leaves it as it was', () => {
    const dir = tempDir();
    const file = path.join(dir, DB_FILE);
    fs.writeFileSync(file, 'These are my measurements, not a database.\n'.repeat(200));
    const before = sha(file);
    const err = appErrorOf(() => Library.open(dir));
    expect(err.code).toBe('LIBRARY_CORRUPT');
    expect(err.message).toContain('is not a SQLite database');
    expect(sha(file)).toBe(before);
  });

  it('refuses a database whose first page was overwritten behind its header', () => {
    const dir = tempDir();
    const lib = Library.open(dir);
    lib.projects.create('Shirt');
    lib.close();
    const file = path.join(dir, DB_FILE);
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(4000, 0x5a), 0, 4000, 16);
    fs.closeSync(fd);
    const before = sha(file);
    const err = appErrorOf(() => Library.open(dir));
    expect(err.code).toBe('LIBRARY_CORRUPT');
    expect(sha(file)).toBe(before);
  });

  it('refuses a database with overwritten pages, naming the integrity check, and changes nothing', () => {
    const dir = tempDir();
    const lib = Library.open(dir);
    const insert = lib.db.transaction(() => {
      for (let i = 0; i < 3000; i++) lib.projects.create(`Dunhuang jacket ${i} ${'x'.repeat(60)}`);
    });
    insert();
    const pageSize = lib.db.pragma('page_size', { simple: true }) as number;
    lib.close(); // the last connection checkpoints the WAL into the main file
    const file = path.join(dir, DB_FILE);
    const pages = fs.statSync(file).size / pageSize;
    expect(pages).toBeGreaterThan(40);
    // Overwrite three pages in the middle of the projects table with a pattern no b-tree page has.
    const fd = fs.openSync(file, 'r+');
    for (const page of [Math.floor(pages / 2), Math.floor(pages / 2) + 3, pages - 2]) {
      fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, page * pageSize);
    }
    fs.closeSync(fd);
    const before = sha(file);
    const err = appErrorOf(() => Library.open(dir));
    expect(err.code).toBe('LIBRARY_CORRUPT');
    expect(err.message).toContain('failed its integrity check');
    expect(err.message).toContain('backup');
    expect((err.details as { problems: string[] }).problems.length).toBeGreaterThan(0);
    expect(sha(file)).toBe(before);
  });

  it('refuses a SQLite database that is not a Jinxiu library', () => {
    const dir = tempDir();
    const file = path.join(dir, DB_FILE);
    const other = new Database(file);
    other.exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, buyer TEXT); INSERT INTO orders (buyer) VALUES ('A')`);
    other.close();
    const before = sha(file);
    const err = appErrorOf(() => Library.open(dir));
    expect(err.code).toBe('LIBRARY_CORRUPT');
    expect(err.message).toContain('not a Jinxiu Studio library');
    expect(sha(file)).toBe(before);
  });

  it('refuses a library made by a newer app with a clear message, and changes nothing', () => {
    const dir = tempDir();
    Library.open(dir).close();
    const file = path.join(dir, DB_FILE);
    const raw = new Database(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    raw.close();
    const before = sha(file);
    const err = appErrorOf(() => Library.open(dir));
    expect(err.code).toBe('MIGRATION_FAILED');
    expect(err.message).toContain(`schema version ${MIGRATIONS.length + 5}`);
    expect(err.message).toContain('Update Jinxiu Studio');
    expect(err.details).toEqual({ libraryVersion: MIGRATIONS.length + 5, appVersion: MIGRATIONS.length });
    expect(sha(file)).toBe(before);
  });
});

/**
 * Another process takes the library in exclusive locking mode, writes a row, and lets go after
 * `holdMs`. Resolves once it holds the lock.
 */
function holdLibrary(dir: string, holdMs: number): Promise<void> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec("BEGIN EXCLUSIVE; INSERT INTO projects (id, name, created_at, updated_at) VALUES ('held', 'held', '2026-01-01', '2026-01-01')");
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${holdMs});`;
  const child = spawn(process.execPath, ['-e', script, path.join(dir, DB_FILE)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before taking the lock`)));
  });
}

describe('a library held by another process', () => {
  it('waits past the busy timeout and opens once the other process lets go, seeing its commit', async () => {
    const dir = tempDir();
    Library.open(dir).close();
    await holdLibrary(dir, 700);
    const db = openDatabase(dir, MIGRATIONS, { busyTimeoutMs: 50, retryForMs: 10_000 });
    try {
      expect(db.prepare(`SELECT name FROM projects WHERE id = 'held'`).get()).toEqual({ name: 'held' });
    } finally {
      db.close();
    }
  });

  it('gives up with a clear message, not a corruption report, and leaves the file as it was', async () => {
    const dir = tempDir();
    Library.open(dir).close();
    await holdLibrary(dir, 1500);
    const err = appErrorOf(() => openDatabase(dir, MIGRATIONS, { busyTimeoutMs: 50, retryForMs: 300 }));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toMatch(/is locked by another process .* the library was not changed/);
    await new Promise((r) => setTimeout(r, 1600));
    expect(peek(dir, (db) => db.prepare(`SELECT count(*) AS n FROM projects`).get())).toEqual({ n: 1 });
  });
});

describe('migrations', () => {
  // These tests migrate on from a version-1 library; later real migrations (2: motif caption search)
  // would take the numbers they use, so they start from the first migration alone.
  const V1 = MIGRATIONS.slice(0, 1);
  const addColour: Migration = { version: 2, name: 'project colour', sql: `ALTER TABLE projects ADD COLUMN colour TEXT` };
  const addSeasons: Migration = {
    version: 3,
    name: 'seasons',
    sql: `CREATE TABLE seasons (id TEXT PRIMARY KEY, name TEXT NOT NULL) STRICT; INSERT INTO seasons VALUES ('ss27', 'Spring/Summer 27');`,
  };
  const broken: Migration = { version: 4, name: 'broken', sql: `UPDATE projects SET colour = 'indigo'; ALTER TABLE no_such_table ADD COLUMN x TEXT;` };

  function libraryAtV1WithProject(): { dir: string; projectId: string } {
    const dir = tempDir();
    const lib = Library.open(dir, { migrations: V1 });
    const projectId = lib.projects.create('Qipao').id;
    lib.close();
    return { dir, projectId };
  }

  it('backs the file up before migrating and applies the pending migrations in order', () => {
    const { dir, projectId } = libraryAtV1WithProject();
    const lib = Library.open(dir, { migrations: [...V1, addColour, addSeasons] });
    expect(lib.db.pragma('user_version', { simple: true })).toBe(3);
    expect(columns(lib.db, 'projects')).toContain('colour');
    expect(lib.projects.get(projectId).name).toBe('Qipao');
    lib.close();
    const backup = backupFile(path.join(dir, DB_FILE), 1);
    const old = new Database(backup, { readonly: true });
    expect(old.pragma('user_version', { simple: true })).toBe(1);
    expect(old.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(old.prepare('SELECT name FROM projects').all()).toEqual([{ name: 'Qipao' }]);
    expect(columns(old, 'projects')).not.toContain('colour');
    old.close();
  });

  it('restores the file from its backup when a migration fails halfway through the list', () => {
    const { dir, projectId } = libraryAtV1WithProject();
    const err = appErrorOf(() => Library.open(dir, { migrations: [...V1, addColour, addSeasons, broken] }));
    expect(err.code).toBe('MIGRATION_FAILED');
    expect(err.message).toContain('Migration 4 (broken)');
    expect(err.message).toContain('no_such_table');
    expect(err.message).toContain('restored from the backup');
    // Migrations 2 and 3 had committed; the restore took the file back to version 1 as it was.
    expect(fs.existsSync(path.join(dir, `${DB_FILE}-wal`))).toBe(false);
    peek(dir, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(columns(db, 'projects')).not.toContain('colour');
      expect(db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE name = 'seasons'`).get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT id, name FROM projects').all()).toEqual([{ id: projectId, name: 'Qipao' }]);
    });
    // The app that knows only version 1 still opens it; a fixed list migrates it.
    Library.open(dir, { migrations: V1 }).close();
    const fixed: Migration = { version: 4, name: 'fixed', sql: `UPDATE projects SET colour = 'indigo'` };
    const lib = Library.open(dir, { migrations: [...V1, addColour, addSeasons, fixed] });
    expect(lib.db.prepare('SELECT colour FROM projects WHERE id = ?').get(projectId)).toEqual({ colour: 'indigo' });
    lib.close();
  });

  it('fails a migration that leaves dangling references, even with foreign keys off during it', () => {
    const { dir } = libraryAtV1WithProject();
    const dangling: Migration = {
      version: 2,
      name: 'dangling flat',
      up: (db) => {
        db.prepare(`INSERT INTO flats (id, project_id, name, created_at, updated_at) VALUES ('f1', 'nobody', 'x', 'now', 'now')`).run();
      },
    };
    const err = appErrorOf(() => Library.open(dir, { migrations: [...V1, dangling] }));
    expect(err.code).toBe('MIGRATION_FAILED');
    expect(err.message).toContain('pointing nowhere');
    peek(dir, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      expect(db.prepare('SELECT count(*) AS n FROM flats').get()).toEqual({ n: 0 });
    });
  });

  it('leaves a new library empty when its creation fails, so the next open starts clean', () => {
    const dir = tempDir();
    const failing: Migration = { version: 2, name: 'throws', up: () => { throw new Error('pattern table missing'); } };
    const err = appErrorOf(() => Library.open(dir, { migrations: [...V1, failing] }));
    expect(err.code).toBe('MIGRATION_FAILED');
    expect(err.message).toContain('Migration 2 (throws)');
    expect(err.message).toContain('pattern table missing');
    expect(err.message).toContain('left empty');
    // Migration 1 ran in the same transaction as the failing one, so it was rolled back too.
    peek(dir, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(0);
      expect(db.prepare(`SELECT count(*) AS n FROM sqlite_schema`).get()).toEqual({ n: 0 });
    });
    const lib = Library.open(dir);
    expect(lib.info().schemaVersion).toBe(MIGRATIONS.length);
    lib.close();
  });

  it('refuses a migration list that is out of order', () => {
    const dir = tempDir();
    const err = appErrorOf(() => Library.open(dir, { migrations: [...V1, addSeasons] }));
    expect(err.code).toBe('INTERNAL');
    expect(err.message).toContain('out of order');
  });
});

describe('schema', () => {
  it('keeps bad rows out: malformed JSON, wrong types, alpha out of range, unknown job state', () => {
    const dir = tempDir();
    const lib = Library.open(dir);
    const p = lib.projects.create('Hanfu');
    const now = new Date().toISOString();
    const { db } = lib;
    expect(() => db.prepare(`INSERT INTO jobs (id, kind, state, params, created_at, updated_at) VALUES ('j', 'k', 'paused', '{}', ?, ?)`).run(now, now)).toThrow(/CHECK/);
    expect(() => db.prepare(`INSERT INTO flats (id, project_id, name, created_at, updated_at) VALUES ('f', ?, 'front', ?, ?)`).run(p.id, now, now)).not.toThrow();
    expect(() => db.prepare(`INSERT INTO flat_versions (flat_id, version, document, created_at) VALUES ('f', 1, '{"paths": [', ?)`).run(now)).toThrow(/CHECK/);
    expect(() => db.prepare(`INSERT INTO flats (id, project_id, name, head_version, created_at, updated_at) VALUES ('g', ?, 'back', 'one', ?, ?)`).run(p.id, now, now)).toThrow(/cannot store TEXT value in INTEGER column/);
    expect(() => db.prepare(`INSERT INTO files (sha256, size, mime, created_at) VALUES (?, 1, 'image/png', ?)`).run('G'.repeat(64), now)).toThrow(/CHECK/);
    const file = 'a'.repeat(64);
    db.prepare(`INSERT INTO files (sha256, size, mime, created_at) VALUES (?, 1, 'image/png', ?)`).run(file, now);
    const generation = db.prepare(
      `INSERT INTO generations (id, project_id, prompt, variant, alpha, seed, steps, scheduler, pack_id, pack_version, provider, file_sha256, created_at)
       VALUES (?, ?, 'silk qipao', ?, ?, 42, 50, 'ddim', 'higarment-sd15', '1.0.0', 'cpu', ?, ?)`,
    );
    expect(() => generation.run('g1', p.id, 'image-biased', 1.2, file, now)).toThrow(/CHECK/);
    expect(() => generation.run('g1', p.id, 'sepia', 0.8, file, now)).toThrow(/CHECK/);
    expect(() => generation.run('g1', p.id, 'text-biased', 0.71, 'b'.repeat(64), now)).toThrow(/FOREIGN KEY/);
    expect(() => generation.run('g1', p.id, 'text-biased', 0.71, file, now)).not.toThrow();
    const embedding = db.prepare(
      `INSERT INTO motif_embeddings (motif_id, pack_id, pack_version, dim, crop, vector) VALUES ('m', 'cn-clip', '1', 4, 0, ?)`,
    );
    db.prepare(`INSERT INTO motifs (id, file_sha256, created_at) VALUES ('m', ?, ?)`).run(file, now);
    expect(() => embedding.run(Buffer.alloc(12))).toThrow(/CHECK/);
    expect(() => embedding.run(Buffer.from(new Float32Array([1, 0, 0, 0]).buffer))).not.toThrow();
    lib.close();
  });
});
