import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../../shared/contract';
import { describeFsError, syncDir } from '../../outputs';
import { createFileHasher, type FileHasher } from './file-hasher';

export interface AssembledFile {
  path: string;
  size: number;
  sha256: string;
}

/** Each disk write is one staging buffer: large enough that a write costs one thread-pool round trip per 8 MiB. */
export const STAGING_BYTES = 8 * 1024 * 1024;
/** One buffer being filled, and up to two more being written and hashed meanwhile. */
const STAGING_BUFFERS = 3;
/** Below this the sha256 runs on the calling thread: a hashing thread costs more to start than it saves on a small file. */
export const THREAD_HASH_MIN_BYTES = 64 * 1024 * 1024;

export interface DataFileWriterOptions {
  /** The file's expected size; a big one is hashed on a thread of its own, beside the conversion. */
  expectedBytes?: number;
  /** Overrides the size rule (tests use it to run both hashers on the same bytes). */
  hashOnThread?: boolean;
}

interface Staging {
  bytes: Uint8Array;
  /** Settles once this buffer's write has landed and the hasher is done with it. */
  busy: Promise<void>;
}

/**
 * Writes one external-data file front to back into a hidden temp file beside it, hashing every byte
 * as it goes (so the pack's sha256 costs no second read), and renames it into place only when whole.
 * Bytes gather in large reused staging buffers (shared memory, so the hashing thread reads them
 * without a copy); a full buffer is written with positioned writes and hashed while the caller fills
 * the next, so conversion, hashing and disk writes overlap and small tensors share one write.
 */
export class DataFileWriter {
  private readonly free: Uint8Array[] = [];
  private readonly inFlight: Staging[] = [];
  private current: Uint8Array;
  /** File offset of current[0]; bytes before it have been handed to a write. */
  private base = 0;
  private fill = 0;
  private failure: unknown = null;

  private constructor(
    readonly target: string,
    private readonly tmp: string,
    private readonly handle: fs.FileHandle,
    private readonly hasher: FileHasher,
  ) {
    for (let i = 0; i < STAGING_BUFFERS; i++) this.free.push(new Uint8Array(new SharedArrayBuffer(STAGING_BYTES)));
    this.current = this.free.pop()!;
  }

  static async create(target: string, options: DataFileWriterOptions = {}): Promise<DataFileWriter> {
    const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(tmp, 'wx');
    } catch (err) {
      throw writeError(err, target);
    }
    const onThread = options.hashOnThread ?? (options.expectedBytes ?? 0) >= THREAD_HASH_MIN_BYTES;
    return new DataFileWriter(target, tmp, handle, createFileHasher(onThread));
  }

  /** Bytes handed to the writer so far (some may still be on their way to the disk). */
  get position(): number {
    return this.base + this.fill;
  }

  /**
   * Free room at the end of the current staging buffer (at least `atLeast` bytes, up to its end) for
   * the caller to fill in place and then `advance()` over; nothing else may run in between.
   */
  async room(atLeast = 1): Promise<Uint8Array> {
    if (STAGING_BYTES - this.fill < Math.min(atLeast, STAGING_BYTES)) await this.flush();
    return this.current.subarray(this.fill);
  }

  /** Marks `count` bytes of the last room() as written. */
  advance(count: number): void {
    if (count < 0 || this.fill + count > STAGING_BYTES) throw new AppError('INTERNAL', `advance(${count}) runs past the staging buffer.`);
    this.fill += count;
  }

  /** Appends a copy of `bytes`; the caller may reuse them as soon as this returns. */
  async write(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.byteLength) {
      const room = await this.room();
      const n = Math.min(room.byteLength, bytes.byteLength - done);
      room.set(bytes.subarray(done, done + n));
      this.advance(n);
      done += n;
    }
  }

  /** Zero bytes up to `offset` (the gaps that keep tensors aligned). */
  async padTo(offset: number): Promise<void> {
    while (this.position < offset) {
      const room = await this.room();
      const n = Math.min(room.byteLength, offset - this.position);
      room.fill(0, 0, n);
      this.advance(n);
    }
  }

  async commit(): Promise<AssembledFile> {
    let sha256: string;
    try {
      await this.flush();
      await this.settle();
      if (this.failure) throw this.failure;
      sha256 = await this.hasher.digest();
      await this.handle.sync();
      await this.handle.close();
      await fs.rename(this.tmp, this.target);
    } catch (err) {
      await this.discard();
      throw writeError(err, this.target);
    }
    await syncDir(path.dirname(this.target)).catch(() => undefined);
    return { path: this.target, size: this.position, sha256 };
  }

  async discard(): Promise<void> {
    await this.settle();
    await this.hasher.close();
    await this.handle.close().catch(() => undefined);
    await fs.rm(this.tmp, { force: true }).catch(() => undefined);
  }

  /** Hands the current buffer to a write and the hasher, and takes a free one (waiting for the oldest if none is). */
  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.fill === 0) return;
    const bytes = this.current.subarray(0, this.fill);
    const busy = Promise.all([this.writeAt(bytes, this.base), this.hasher.update(bytes)]).then(
      () => undefined,
      (err: unknown) => {
        // Kept, and thrown by the next flush, commit or discard: a later write cannot make it whole.
        this.failure ??= err;
      },
    );
    this.inFlight.push({ bytes: this.current, busy });
    this.base += this.fill;
    this.fill = 0;
    if (this.free.length === 0) {
      const oldest = this.inFlight.shift()!;
      await oldest.busy;
      this.free.push(oldest.bytes);
    }
    this.current = this.free.pop()!;
    if (this.failure) throw this.failure;
  }

  private async settle(): Promise<void> {
    while (this.inFlight.length > 0) {
      const oldest = this.inFlight.shift()!;
      await oldest.busy;
      this.free.push(oldest.bytes);
    }
  }

  private async writeAt(bytes: Uint8Array, position: number): Promise<void> {
    try {
      let done = 0;
      while (done < bytes.byteLength) {
        const { bytesWritten } = await this.handle.write(bytes, done, bytes.byteLength - done, position + done);
        done += bytesWritten;
      }
    } catch (err) {
      throw writeError(err, this.target);
    }
  }
}

function writeError(err: unknown, file: string): AppError {
  if (err instanceof AppError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new AppError('DISK_FULL', `The disk is full: ${path.basename(file)} could not be written, and nothing was kept.`, { path: file });
  return new AppError('INVALID_INPUT', `Cannot write ${file}: ${describeFsError(err)}.`, { path: file });
}
