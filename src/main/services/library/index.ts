import fs from 'node:fs';
import path from 'node:path';
import type { LibraryInfo } from '../../../shared/contract';
import { DB_FILE, openDatabase, schemaVersion, type Db } from './database';
import { FileStore, type FileStoreOptions } from './files';
import { MIGRATIONS, type Migration } from './migrations';
import { ProjectStore } from './projects';

export { openDatabase, schemaVersion, checkIntegrity, migrate, backupFile, DB_FILE, type Db } from './database';
export { MIGRATIONS, LATEST_SCHEMA_VERSION, APPLICATION_ID, type Migration } from './migrations';
export { FileStore, type FileSource, type StoredFile, type FileStoreOptions } from './files';
export { nowIso } from './time';
export { processExists } from './temp-owner';
export { ProjectStore } from './projects';

export interface LibraryOptions {
  /** The schema to bring the file to; tests pass their own lists. */
  migrations?: readonly Migration[];
  files?: FileStoreOptions;
}

/** Tables whose row counts info() reports. */
const COUNTED = ['projects', 'flats', 'swatches', 'prompts', 'generations', 'motifs', 'jobs', 'techpacks'] as const;

/** The studio's library folder: library.sqlite plus the content-addressed file store. */
export class Library {
  readonly db: Db;
  readonly projects: ProjectStore;
  readonly files: FileStore;

  private constructor(
    readonly dir: string,
    options: LibraryOptions,
  ) {
    this.db = openDatabase(dir, options.migrations ?? MIGRATIONS);
    try {
      this.projects = new ProjectStore(this.db);
      this.files = new FileStore(dir, this.db, options.files);
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  static open(dir: string, options: LibraryOptions = {}): Library {
    return new Library(path.resolve(dir), options);
  }

  info(): LibraryInfo {
    const file = path.join(this.dir, DB_FILE);
    const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
    const counts: Record<string, number> = {};
    for (const table of COUNTED) {
      counts[table] = (this.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    }
    const files = this.db.prepare('SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes FROM files').get() as {
      count: number;
      bytes: number;
    };
    // quick_check, not integrity_check: info() is asked for often and the full check ran at open.
    const integrity = String(this.db.pragma('quick_check', { simple: true }) ?? 'unknown');
    return {
      path: this.dir,
      schemaVersion: schemaVersion(this.db),
      sizeBytes: size(file) + size(`${file}-wal`),
      files,
      counts,
      integrity,
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
