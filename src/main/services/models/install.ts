import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../../shared/contract';
import type { PackFile } from '../../../shared/packs/manifest-base';
import type { ModelsFolder } from './models-folder';
import { MANIFEST_FILE, totalSize, type PackManifest } from './pack-manifest';
import { openPackSource, type PackSource } from './pack-source';

/**
 * Installs a pack from a folder or zip. The whole pack is hashed before anything is written; then it
 * is copied (and hashed again, as the source may have changed) into a staging folder inside the
 * models folder and renamed into place in one step. On any failure the staging folder is removed.
 */
export async function installPack(folder: ModelsFolder, sourcePath: string): Promise<PackManifest> {
  const source = await openPackSource(sourcePath);
  try {
    const { base } = source.manifest;
    for (const f of base.files) await streamVerified(source, f, null);
    if (await folder.has(base.id)) {
      throw new AppError('CONFLICT', `A pack "${base.id}" is already installed; remove it first to install ${base.version}.`);
    }
    await folder.ensureFreeSpace(totalSize(base), `install ${base.id}`);
    const staging = await folder.makeStaging('install');
    try {
      for (const f of base.files) {
        const dest = path.join(staging, f.path);
        await fs.mkdir(path.dirname(dest), { recursive: true });
        await streamVerified(source, f, dest);
      }
      await fs.writeFile(path.join(staging, MANIFEST_FILE), source.manifestBytes);
      await folder.commit(staging, base.id);
    } finally {
      await fs.rm(staging, { recursive: true, force: true });
    }
    return source.manifest;
  } finally {
    source.close();
  }
}

/** Reads one file of the source, refusing it as soon as it grows past its size, and checks its hash. */
async function streamVerified(source: PackSource, file: PackFile, dest: string | null): Promise<void> {
  const stream: Readable = await source.open(file);
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > file.size) return done(new AppError('MODEL_INVALID', `${file.path} is larger than the ${file.size} bytes its manifest says.`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const sink = dest ? createWriteStream(dest, { flags: 'wx' }) : new Writable({ write: (_c, _e, done) => done() });
  try {
    await pipeline(stream, meter, sink);
  } catch (err) {
    if (err instanceof AppError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOSPC') throw new AppError('DISK_FULL', `The disk is full while copying ${file.path}.`);
    throw new AppError('MODEL_INVALID', `${file.path} cannot be read: ${(err as Error).message}`);
  }
  if (size !== file.size) throw new AppError('MODEL_INVALID', `${file.path} is ${size} bytes; the manifest says ${file.size}.`);
  const actual = hash.digest('hex');
  if (actual !== file.sha256) throw new AppError('MODEL_INVALID', `${file.path} has sha256 ${actual}; the manifest says ${file.sha256}.`);
}
