import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/contract';
import { isDiskFull, type Db } from './database';
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
/** A temp file older than this is left over from a crash (a put in progress is never this slow). */
const STALE_TEMP_MS = 60 * 60 * 1000;

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
  async put(source: FileSource, mime: string): Promise<{ sha256: string; size: number }> {
    if (typeof mime !== 'string' || !MIME.test(mime.trim())) {
      throw new AppError('INVALID_INPUT', `"${String(mime)}" is not a media type (expected something like image/png).`);
    }
    const tmp = path.join(this.tmpDir, `put-${process.pid}-${randomBytes(8).toString('hex')}`);
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
      this.db
        .prepare('INSERT INTO files (sha256, size, mime, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING')
        .run(sha256, size, mime.trim().toLowerCase(), nowIso());
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

  private sweepStaleTemps(): void {
    const cutoff = Date.now() - STALE_TEMP_MS;
    for (const name of fs.readdirSync(this.tmpDir)) {
      const file = path.join(this.tmpDir, name);
      try {
        if (fs.statSync(file).mtimeMs < cutoff) fs.rmSync(file, { force: true });
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

/** Makes a rename durable on POSIX; Windows cannot open a directory and does not need it. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
