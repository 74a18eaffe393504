import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/contract';
import { syncDir } from '../outputs';
import { isDiskFull, type Db } from './database';
import { ownerIsGone, ownerTag, parseOwner } from './temp-owner';
import { nowIso } from './time';

/** What put() accepts: the bytes, a stream of them, or the path of a file to import. */
export type FileSource = Uint8Array | AsyncIterable<Uint8Array | string> | string;

export interface StoredFile {
  sha256: string;
  size: number;
  mime: string;
  createdAt: string;
}

export interface FileStoreOptions {
  /** Refuse anything larger (bytes); unlimited by default. */
  maxBytes?: number;
}

const SHA256 = /^[0-9a-f]{64}$/;
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;.*)?$/i;
/**
 * A temp file whose name says nothing of its owner (an older version's, or another tool's) is taken
 * for a crash's leftover once it is this old (a put in progress is never this slow).
 */
const STALE_TEMP_MS = 60 * 60 * 1000;
const PUT_PREFIX = 'put-';

/** What staged() hands its work: put(), with each file it stores for the first time remembered. */
export interface StagedFiles {
  put(source: FileSource, mime: string): Promise<{ sha256: string; size: number }>;
}

/** A file a running staged() stored for the first time, and whether any other put has stored it since. */
interface FreshFile {
  scope: string[];
  shared: boolean;
}

interface FileRow {
  sha256: string;
  size: number;
  mime: string;
  created_at: string;
}

/**
 * Content-addressed store for the library's large binaries (images, renders, exports). Bytes live at
 * files/ab/<sha256>; the `files` table holds their metadata. A put streams into a temp file inside the
 * library (same filesystem, so the final rename is atomic), hashing as it goes, syncs it and renames
 * it into place; only then is the row written. A crash or a full disk therefore never leaves a
 * half-written file under files/ nor a row without its file.
 */
export class FileStore {
  readonly filesDir: string;
  readonly tmpDir: string;
  private readonly root: string;
  private readonly fresh = new Map<string, FreshFile>();

  constructor(
    libraryDir: string,
    private readonly db: Db,
    private readonly options: FileStoreOptions = {},
  ) {
    this.root = path.resolve(libraryDir);
    this.filesDir = path.join(this.root, 'files');
    this.tmpDir = path.join(this.root, 'tmp');
    fs.mkdirSync(this.filesDir, { recursive: true });
    fs.mkdirSync(this.tmpDir, { recursive: true });
    this.sweepStaleTemps();
  }

  /** Stores the bytes (once: the same content is stored once) and records them in the library. */
  put(source: FileSource, mime: string): Promise<{ sha256: string; size: number }> {
    return this.store(source, mime, null);
  }

  /**
   * Runs work that stores files and then writes the rows that reference them (an import). If the work
   * fails, a full disk included, the files it stored for the first time are taken out again, bytes
   * and record, so a failed import leaves no file that nothing uses. A file stays if a row references
   * it by then (the foreign keys say so) or another put in this process stored the same bytes
   * meanwhile. The work writes its rows last: a file named only inside a JSON column (a swatch's
   * preview) has no foreign key to protect it once they are committed.
   */
  async staged<T>(work: (files: StagedFiles) => Promise<T>): Promise<T> {
    const scope: string[] = [];
    try {
      return await work({ put: (source, mime) => this.store(source, mime, scope) });
    } catch (err) {
      const clean = this.discard(scope);
      const full = isDiskFull(err) || AppError.is(err, 'DISK_FULL');
      if (full && !clean) {
        throw new AppError('DISK_FULL', `The disk holding the library ${this.root} is full, too full even to take out again the files stored before it filled up; they stay recorded.`);
      }
      if (full && !(err instanceof AppError)) {
        throw new AppError('DISK_FULL', `The disk holding the library ${this.root} is full; nothing was stored and nothing was left behind.`);
      }
      throw err;
    } finally {
      for (const sha of scope) this.fresh.delete(sha);
    }
  }

  private async store(source: FileSource, mime: string, scope: string[] | null): Promise<{ sha256: string; size: number }> {
    if (typeof mime !== 'string' || !MIME.test(mime.trim())) {
      throw new AppError('INVALID_INPUT', `"${String(mime)}" is not a media type (expected something like image/png).`);
    }
    const tmp = path.join(this.tmpDir, `${PUT_PREFIX}${ownerTag()}-${randomBytes(8).toString('hex')}`);
    let placed: string | null = null;
    try {
      const { sha256, size } = await this.writeTemp(source, tmp);
      const dest = this.pathFor(sha256);
      await fsp.mkdir(path.dirname(dest), { recursive: true });
      const existing = await fsp.stat(dest).catch(() => null);
      if (existing?.isFile() && existing.size === size) {
        await fsp.rm(tmp, { force: true });
      } else {
        await fsp.rename(tmp, dest);
        placed = dest;
        await syncDir(path.dirname(dest));
      }
      const inserted =
        this.db
          .prepare('INSERT INTO files (sha256, size, mime, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING')
          .run(sha256, size, mime.trim().toLowerCase(), nowIso()).changes === 1;
      // Bookkeeping in the same synchronous step as the insert, so no other put can slip in between.
      const fresh = this.fresh.get(sha256);
      if (inserted && scope) {
        scope.push(sha256);
        this.fresh.set(sha256, { scope, shared: false });
      } else if (fresh && fresh.scope !== scope) fresh.shared = true;
      return { sha256, size };
    } catch (err) {
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      // A file this put placed but could not record is removed again, unless another put recorded it.
      if (placed && !this.recorded(path.basename(placed))) await fsp.rm(placed, { force: true }).catch(() => undefined);
      throw this.explain(err, source);
    }
  }

  /** True when the file is recorded and its bytes are on disk. */
  has(sha256: string): boolean {
    const sha = checkSha(sha256);
    return this.recorded(sha) && fs.existsSync(this.pathFor(sha));
  }

  /** The file's metadata; NOT_FOUND if the library has no such file. */
  get(sha256: string): StoredFile {
    const sha = checkSha(sha256);
    const row = this.db.prepare('SELECT * FROM files WHERE sha256 = ?').get(sha) as FileRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `The library has no file ${sha}.`);
    return { sha256: row.sha256, size: row.size, mime: row.mime, createdAt: row.created_at };
  }

  /** Absolute path of a stored file, for readers that stream it (the image protocol, exports). */
  path(sha256: string): string {
    const sha = this.get(sha256).sha256;
    const file = this.pathFor(sha);
    if (!fs.existsSync(file)) {
      throw new AppError('LIBRARY_CORRUPT', `The library records file ${sha} but its bytes are missing from ${file}.`);
    }
    return file;
  }

  /** The bytes of a stored file, checked against their hash so a damaged file is never passed on. */
  async read(sha256: string): Promise<Buffer> {
    const file = this.path(sha256);
    const bytes = await fsp.readFile(file);
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== checkSha(sha256)) {
      throw new AppError('LIBRARY_CORRUPT', `The stored file ${file} is damaged: its content hashes to ${actual}.`);
    }
    return bytes;
  }

  /**
   * Resolves a path given from outside (absolute, or relative to the library folder) and refuses it
   * unless it lies inside the library, symbolic links followed. Anything that serves library files by
   * path goes through here.
   */
  resolveInside(p: string): string {
    if (typeof p !== 'string' || p.length === 0 || p.includes('\0')) {
      throw new AppError('INVALID_INPUT', 'A library path must be a non-empty string.');
    }
    const candidate = path.resolve(this.root, p);
    const outside = () => new AppError('PATH_OUTSIDE_LIBRARY', `${p} is outside the library ${this.root}.`);
    if (!isInside(this.root, candidate)) throw outside();
    let real: string;
    try {
      real = fs.realpathSync(candidate);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('NOT_FOUND', `${p} does not exist in the library.`);
      throw err;
    }
    if (!isInside(fs.realpathSync(this.root), real)) throw outside();
    return real;
  }

  private pathFor(sha: string): string {
    return path.join(this.filesDir, sha.slice(0, 2), sha);
  }

  /**
   * Takes out what a failed staged() stored first, record and bytes, unless it is used or shared by
   * now. False when the records could not be taken out.
   */
  private discard(scope: readonly string[]): boolean {
    const unused = scope.filter((sha) => !this.fresh.get(sha)?.shared);
    if (unused.length === 0) return true;
    const gone: string[] = [];
    const remove = this.db.prepare('DELETE FROM files WHERE sha256 = ?');
    try {
      this.db.transaction(() => {
        for (const sha of unused) {
          try {
            if (remove.run(sha).changes === 1) gone.push(sha);
          } catch (err) {
            // A row references it (another import committed the same bytes): it stays.
            if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_FOREIGNKEY') throw err;
          }
        }
      })();
    } catch {
      // The records could not be taken out (the disk may be too full even for that): keep the bytes
      // with them, so every record still has its file.
      return false;
    }
    // Synchronously after the commit: no put in this process can record these bytes in between.
    for (const sha of gone) {
      try {
        fs.rmSync(this.pathFor(sha), { force: true });
      } catch {
        // Unrecorded bytes are harmless: a later put of the same content records them again.
      }
    }
    return true;
  }

  private recorded(sha: string): boolean {
    return this.db.prepare('SELECT 1 FROM files WHERE sha256 = ?').get(sha) !== undefined;
  }

  private async writeTemp(source: FileSource, tmp: string): Promise<{ sha256: string; size: number }> {
    const hash = createHash('sha256');
    let size = 0;
    const max = this.options.maxBytes ?? Number.POSITIVE_INFINITY;
    const handle = await fsp.open(tmp, 'wx');
    try {
      for await (const piece of chunks(source)) {
        size += piece.byteLength;
        if (size > max) {
          throw new AppError('INVALID_INPUT', `The file is larger than the ${max} bytes the library accepts.`);
        }
        hash.update(piece);
        let offset = 0;
        while (offset < piece.byteLength) {
          const { bytesWritten } = await handle.write(piece, offset, piece.byteLength - offset);
          offset += bytesWritten;
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { sha256: hash.digest('hex'), size };
  }

  private explain(err: unknown, source: FileSource): AppError {
    if (err instanceof AppError) return err;
    if (isDiskFull(err)) {
      return new AppError('DISK_FULL', `The disk holding the library ${this.root} is full; the file was not stored and nothing was left behind.`);
    }
    if (typeof source === 'string' && (err as NodeJS.ErrnoException).path === source) {
      return new AppError('INVALID_INPUT', `Cannot read ${source}: ${(err as Error).message}`);
    }
    return new AppError('INTERNAL', `Could not store the file: ${(err as Error).message}`);
  }

  /** Removes the temp files of puts whose process is gone; a live process's are never touched. */
  private sweepStaleTemps(): void {
    const cutoff = Date.now() - STALE_TEMP_MS;
    for (const name of fs.readdirSync(this.tmpDir)) {
      const file = path.join(this.tmpDir, name);
      const owner = name.startsWith(PUT_PREFIX) ? parseOwner(name.slice(PUT_PREFIX.length)) : null;
      try {
        if (owner ? ownerIsGone(owner) : fs.statSync(file).mtimeMs < cutoff) fs.rmSync(file, { force: true });
      } catch {
        // Another process may have just renamed or removed it; nothing to sweep then.
      }
    }
  }
}

function checkSha(sha256: string): string {
  const sha = typeof sha256 === 'string' ? sha256.toLowerCase() : '';
  if (!SHA256.test(sha)) {
    // A "hash" with separators or dots is an attempt to reach a path, not a typo.
    if (/[\\/]|\.\./.test(String(sha256))) {
      throw new AppError('PATH_OUTSIDE_LIBRARY', `"${String(sha256)}" is not a file hash; library files are named by sha256 only.`);
    }
    throw new AppError('INVALID_INPUT', `"${String(sha256)}" is not a sha256 (64 hexadecimal digits).`);
  }
  return sha;
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

async function* chunks(source: FileSource): AsyncGenerator<Uint8Array> {
  if (typeof source === 'string') {
    yield* fs.createReadStream(source) as AsyncIterable<Buffer>;
  } else if (source instanceof Uint8Array) {
    yield source;
  } else {
    for await (const piece of source) yield typeof piece === 'string' ? Buffer.from(piece) : piece;
  }
}
