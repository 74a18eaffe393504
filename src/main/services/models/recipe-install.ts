import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/contract';
import type { CatalogueRecipe } from '../../../shared/contract/models';
import { assemblePack, loadRecipe, requireLayout, SafetensorsFile } from './assembly';
import type { HttpOptions } from './http-get';
import { installPack } from './install';
import type { ModelsFolder } from './models-folder';
import type { PackManifest } from './pack-manifest';
import type { PackSettings } from './pack-settings';
import { fetchSource } from './source-fetch';

export interface RecipeInstall {
  entry: CatalogueRecipe;
  /** resources/models/recipes/<id>. */
  recipeDir: string;
  folder: ModelsFolder;
  settings: PackSettings;
  /** Licence ids the technician accepted (`--accept-licence`). */
  accepted: readonly string[];
  signal: AbortSignal;
  onProgress?(message: string): void;
  http?: Pick<HttpOptions, 'idleTimeoutMs' | 'maxRedirects'>;
  retries?: number;
  /** The technician's own SD 1.5 checkpoint in place of the catalogue's, and the pack it becomes. */
  own?: { checkpoint: string; id: string; name: string };
}

/** The library's cache of downloaded public files, shared by every recipe that needs them. */
export const sourceCacheDir = (folder: ModelsFolder) => path.join(folder.dir, '.downloads', 'sources');

/**
 * Downloads a catalogue recipe's public files (verified, cached), assembles them into a staging
 * folder and installs the pack through the atomic installer. Licences, an installed pack of the same
 * id and free space are checked before anything is downloaded.
 */
export async function installRecipe(job: RecipeInstall): Promise<PackManifest> {
  const { entry, folder } = job;
  const own = job.own;
  // An own checkpoint is judged from its header before a byte is downloaded: pickles, hostile headers and other model families stop here.
  if (own) await judgeCheckpoint(own.checkpoint);
  const needed = entry.files.filter((f) => !(own && f.role === 'checkpoint'));
  const unaccepted = new Map(needed.filter((f) => f.licence.mustAccept && !job.accepted.includes(f.licence.id)).map((f) => [f.licence.id, f.licence]));
  if (unaccepted.size > 0) {
    const list = [...unaccepted.values()].map((l) => `${l.name}${l.url ? ` (${l.url})` : ''}: --accept-licence ${l.id}`).join('; ');
    throw new AppError('INVALID_INPUT', `The recipe ${entry.id} downloads files under licences you must accept first: ${list}. Nothing was downloaded.`);
  }
  const loaded = await loadRecipe(job.recipeDir);
  if (loaded.recipe.id !== entry.id) throw new AppError('MODEL_INVALID', `${job.recipeDir} holds the recipe ${loaded.recipe.id}, not ${entry.id}.`);
  const packId = own?.id ?? String((loaded.recipe.manifest as { id?: unknown }).id);
  if (await folder.has(packId)) throw new AppError('CONFLICT', `A pack "${packId}" is already installed; remove it first to assemble ${entry.id} again.`);
  await folder.ensureFreeSpace(entry.assemblyBytes, `download and assemble ${entry.id}`);

  const files: Record<string, string> = own ? { checkpoint: own.checkpoint } : {};
  for (const file of needed) {
    if (file.role === 'pack-file') continue; // the recipe ships its own copy
    job.onProgress?.(`downloading ${file.name}`);
    const got = await fetchSource({ file, dir: sourceCacheDir(folder), settings: job.settings, signal: job.signal, onBytes: () => {}, http: job.http, retries: job.retries });
    files[file.role] = got.path;
  }
  const staging = await folder.makeStaging('assemble');
  try {
    job.onProgress?.(`assembling ${entry.id}`);
    const dir = path.join(staging, 'pack');
    await assemblePack({
      recipeDir: job.recipeDir,
      files,
      outDir: dir,
      signal: job.signal,
      manifest: own ? { id: own.id, name: own.name } : undefined,
    });
    return await installPack(folder, dir);
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

async function judgeCheckpoint(file: string): Promise<void> {
  if (path.extname(file).toLowerCase() !== '.safetensors') {
    throw new AppError('INVALID_INPUT', `${path.basename(file)}: a checkpoint is installed from a .safetensors file only.`);
  }
  const st = await SafetensorsFile.open(file);
  try {
    requireLayout({ name: path.basename(file), path: file, tensors: st.tensors }, 'sd15-single-file');
  } finally {
    await st.close();
  }
}
