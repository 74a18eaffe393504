import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/contract';
import { describeFsError } from './fs-errors';

/**
 * Writes a user-visible output so that a crash, a kill or a full disk never leaves it truncated: the
 * bytes go to a temp file in the same folder (so the rename cannot cross filesystems), are synced,
 * and only then replace the target in one rename. Whoever opens the file sees the old content or the
 * new, never a mix.
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  // Hidden and named after the target and this process, so a leftover from a kill explains itself.
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await fsp.open(tmp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(tmp, target);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw writeError(err, target);
  }
  // The rename is done; a failed directory sync only weakens durability, the file itself is whole.
  await syncDir(dir).catch(() => undefined);
}

/** Makes a rename durable on POSIX; Windows cannot open a directory and does not need it. */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function writeError(err: unknown, file: string): AppError {
  if (err instanceof AppError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AppError('DISK_FULL', `The disk is full: ${file} was not written, and any earlier file there is unchanged.`);
  }
  return new AppError('INVALID_INPUT', `Cannot write ${file}: ${describeFsError(err)}.`);
}
