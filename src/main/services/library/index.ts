import fs from 'node:fs';
import path from 'node:path';
import type { LibraryInfo } from '../../../shared/contract';
import { DB_FILE, openDatabase, schemaVersion, type Db } from './database';
import { ProjectStore } from './projects';

export { openDatabase, schemaVersion, checkIntegrity, migrate, DB_FILE, type Db } from './database';
export { MIGRATIONS, LATEST_SCHEMA_VERSION, type Migration } from './migrations';
export { nowIso } from './time';
export { ProjectStore } from './projects';

/** The studio's library folder: library.sqlite plus the content-addressed file store. */
export class Library {
  readonly db: Db;
  readonly projects: ProjectStore;

  private constructor(readonly dir: string) {
    this.db = openDatabase(dir);
    this.projects = new ProjectStore(this.db);
  }

  static open(dir: string): Library {
    return new Library(path.resolve(dir));
  }

  info(): LibraryInfo {
    const file = path.join(this.dir, DB_FILE);
    const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
    const counts: Record<string, number> = {};
    for (const table of ['projects', 'flats', 'swatches', 'generations', 'motifs', 'jobs', 'techpacks']) {
      counts[table] = (this.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    }
    const files = this.db.prepare('SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes FROM files').get() as {
      count: number;
      bytes: number;
    };
    const integrity = (this.db.pragma('quick_check', { simple: true }) as string) ?? 'unknown';
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
