import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../../shared/contract';
import { describeFsError, syncDir } from '../../outputs';

export interface AssembledFile {
  path: string;
  size: number;
  sha256: string;
}

const ZEROS = new Uint8Array(64 * 1024);

/**
 * Writes one external-data file front to back into a hidden temp file beside it, hashing every byte
 * as it goes (so the pack's sha256 costs no second read), and renames it into place only when whole.
 * One write is in flight while the caller prepares the next buffer, so converting and writing overlap;
 * a buffer handed to write() must not be changed afterwards.
 */
export class DataFileWriter {
  private readonly hash = createHash('sha256');
  private written = 0;
  private inFlight: Promise<void> = Promise.resolve();

  private constructor(
    readonly target: string,
    private readonly tmp: string,
    private readonly handle: fs.FileHandle,
  ) {}

  static async create(target: string): Promise<DataFileWriter> {
    const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    try {
      return new DataFileWriter(target, tmp, await fs.open(tmp, 'wx'));
    } catch (err) {
      throw writeError(err, target);
    }
  }

  /** Bytes handed to write() so far (some may still be on their way to the disk). */
  get position(): number {
    return this.written;
  }

  /** Starts writing `bytes` after what came before, and returns once the previous write has landed. */
  async write(bytes: Uint8Array): Promise<void> {
    const previous = this.inFlight;
    const at = this.written;
    this.written += bytes.byteLength;
    this.inFlight = previous.then(() => this.writeAt(bytes, at));
    // Marked handled at once: a failure is reported by the next write(), commit() or discard().
    this.inFlight.catch(() => undefined);
    this.hash.update(bytes);
    await previous;
  }

  /** Zero bytes up to `offset` (the gaps that keep tensors aligned). */
  async padTo(offset: number): Promise<void> {
    while (this.written < offset) await this.write(ZEROS.subarray(0, Math.min(ZEROS.byteLength, offset - this.written)));
  }

  async commit(): Promise<AssembledFile> {
    try {
      await this.inFlight;
      await this.handle.sync();
      await this.handle.close();
      await fs.rename(this.tmp, this.target);
    } catch (err) {
      await this.discard();
      throw writeError(err, this.target);
    }
    await syncDir(path.dirname(this.target)).catch(() => undefined);
    return { path: this.target, size: this.written, sha256: this.hash.digest('hex') };
  }

  async discard(): Promise<void> {
    await this.inFlight.catch(() => undefined);
    await this.handle.close().catch(() => undefined);
    await fs.rm(this.tmp, { force: true }).catch(() => undefined);
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
