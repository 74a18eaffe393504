import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/contract';
import { describeFsError } from './fs-errors';

/**
 * Refuses an output folder that could never be written, before minutes of work go into what would
 * be written there. Creates nothing: a command that fails later must not leave an empty folder.
 * The folder may not exist yet; then its nearest existing ancestor must be a writable folder.
 */
export async function checkOutputFolder(dir: string): Promise<void> {
  await checkFolder(path.resolve(dir), (why) => `Cannot write to ${dir}: ${why}.`);
}

/** The same check for an output file: its folder must be writable, and the name must not be a folder. */
export async function checkOutputFile(file: string): Promise<void> {
  const target = path.resolve(file);
  const stat = await fsp.stat(target).catch(() => null);
  if (stat?.isDirectory()) throw new AppError('INVALID_INPUT', `Cannot write ${file}: it is a folder.`);
  await checkFolder(path.dirname(target), (why) => `Cannot write ${file}: ${why}.`);
}

async function checkFolder(target: string, refusal: (why: string) => string): Promise<void> {
  const existing = await nearestExisting(target, refusal);
  if (!existing.stat.isDirectory()) {
    throw new AppError('INVALID_INPUT', refusal(existing.path === target ? `${target} is a file, not a folder` : `${existing.path} is not a folder`));
  }
  try {
    await fsp.access(existing.path, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw new AppError('INVALID_INPUT', refusal(`${existing.path} is not writable (${describeFsError(err)})`));
  }
}

async function nearestExisting(target: string, refusal: (why: string) => string): Promise<{ path: string; stat: fs.Stats }> {
  for (let p = target; ; p = path.dirname(p)) {
    try {
      return { path: p, stat: await fsp.stat(p) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ENOTDIR: some ancestor is a file; walking up finds it and names it.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || path.dirname(p) === p) {
        throw new AppError('INVALID_INPUT', refusal(describeFsError(err)));
      }
    }
  }
}

/** Creates an output folder (and its parents) once the work for it is done; refuses in words. */
export async function makeOutputFolder(dir: string): Promise<void> {
  try {
    await fsp.mkdir(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new AppError('DISK_FULL', `The disk is full: the folder ${dir} could not be made.`);
    await checkOutputFolder(dir);
    throw new AppError('INVALID_INPUT', `Cannot make the folder ${dir}: ${describeFsError(err)}.`);
  }
}
