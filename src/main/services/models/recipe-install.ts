import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/contract';
import type { CatalogueRecipe } from '../../../shared/contract/models';
import { requireLayout, SafetensorsFile } from './assembly';
import { assembleInThread } from './assembly/assemble-thread';
import { partPath } from './file-fetch';
import type { HttpOptions } from './http-get';
import type { ModelsFolder } from './models-folder';
import { readManifest, type PackManifest } from './pack-manifest';
import type { PackSettings } from './pack-settings';
import { fetchSource, sourcePath } from './source-fetch';

export interface AssemblyProgress {
  /** Bytes done of `total`: downloads first, then the graphs' tensor bytes. */
  done: number;
  total: number;
  /** The phase and the file: "downloading …", "assembling unet.onnx.data", "installing …". */
  message: string;
  /** A graph finished: reported at once (not thinned out), and the next graph waits until it has been. */
  milestone?: boolean;
}

export interface RecipeInstall {
  entry: CatalogueRecipe;
  /** resources/models/recipes/<id>. */
  recipeDir: string;
  folder: ModelsFolder;
  settings: PackSettings;
  /** Licence ids the technician accepted (`--accept-licence`). */
  accepted: readonly string[];
  signal: AbortSignal;
  onProgress?(progress: AssemblyProgress): void;
  http?: Pick<HttpOptions, 'idleTimeoutMs' | 'maxRedirects'>;
  retries?: number;
  /** The technician's own SD 1.5 checkpoint in place of the catalogue's, and the pack it becomes. */
  own?: { checkpoint: string; id: string; name: string };
}

/** The library's cache of downloaded public files, shared by every recipe that needs them. */
export const sourceCacheDir = (folder: ModelsFolder) => path.join(folder.dir, '.downloads', 'sources');

/** The catalogue files a run downloads: all but the checkpoint an own-checkpoint run brings, and the pack's own files. */
const downloads = (entry: CatalogueRecipe, own: RecipeInstall['own']) => entry.files.filter((f) => f.role !== 'pack-file' && !(own && f.role === 'checkpoint'));

/**
 * The licences still to accept, refused with nothing downloaded; synchronous so a request can be
 * turned down before a job is queued.
 */
export function requireLicences(entry: CatalogueRecipe, accepted: readonly string[], own?: RecipeInstall['own']): void {
  const needed = entry.files.filter((f) => !(own && f.role === 'checkpoint'));
  const unaccepted = new Map(needed.filter((f) => f.licence.mustAccept && !accepted.includes(f.licence.id)).map((f) => [f.licence.id, f.licence]));
  if (unaccepted.size > 0) {
    const list = [...unaccepted.values()].map((l) => `${l.name}${l.url ? ` (${l.url})` : ''}: --accept-licence ${l.id}`).join('; ');
    throw new AppError('INVALID_INPUT', `The recipe ${entry.id} downloads files under licences you must accept first: ${list}. Nothing was downloaded.`, {
      licences: [...unaccepted.keys()],
    });
  }
}

/** The id of the pack a recipe folder makes (its recipe.json manifest's id), or null when it cannot be read. */
export function recipePackId(recipeDir: string): string | null {
  try {
    const recipe = JSON.parse(fs.readFileSync(path.join(recipeDir, 'recipe.json'), 'utf8')) as { manifest?: { id?: unknown } };
    return typeof recipe.manifest?.id === 'string' ? recipe.manifest.id : null;
  } catch {
    return null;
  }
}

/** Where an assembly of `packId` keeps its journal and the pack being written, across pauses and restarts. */
export const assemblyDir = (folder: ModelsFolder, packId: string) => path.join(folder.dir, '.assembling', packId);

/**
 * Downloads a catalogue recipe's public files (verified, cached, resumed from their partial files),
 * assembles them in a worker thread into the assembly folder and installs the pack through the atomic
 * installer. Licences, an installed pack of the same id and free space are checked before anything
 * is downloaded. On failure the assembly folder is left as it is: the caller keeps it for a resume
 * (a pause) or discards it (discardAssembly).
 */
export async function installRecipe(job: RecipeInstall): Promise<PackManifest> {
  const { entry, folder, own } = job;
  // An own checkpoint is judged from its header before a byte is downloaded: pickles, hostile headers and other model families stop here.
  if (own) await judgeCheckpoint(own.checkpoint);
  requireLicences(entry, job.accepted, own);
  const packId = own?.id ?? recipePackId(job.recipeDir);
  if (!packId) throw new AppError('MODEL_MISSING', `${job.recipeDir} holds no readable recipe.json for ${entry.id}.`);
  if (await folder.has(packId)) throw new AppError('CONFLICT', `A pack "${packId}" is already installed; remove it first to assemble ${entry.id} again.`);
  const staging = assemblyDir(folder, packId);
  const wanted = downloads(entry, own);
  // What a paused run already holds (partial downloads, finished graphs) needs no space again.
  const held = [...wanted.map((f) => partialBytes(sourcePath(sourceCacheDir(folder), f))), treeBytes(staging)].reduce((a, b) => a + b, 0);
  await folder.ensureFreeSpace(Math.max(0, entry.assemblyBytes - held), `download and assemble ${entry.id}`);

  const sizes = new Map(wanted.map((f) => [f.role, f.sizeBytes ?? 0]));
  const got = new Map<string, number>();
  const downloadTotal = () => [...sizes.values()].reduce((a, b) => a + b, 0);
  const graphs = new Map<string, number>();
  const total = () => downloadTotal() + entry.packDataBytes;
  const done = () => [...got.values()].reduce((a, b) => a + b, 0) + [...graphs.values()].reduce((a, b) => a + b, 0);
  const report = (message: string, milestone = false) =>
    job.onProgress?.({ done: Math.min(done(), total()), total: total(), message, ...(milestone ? { milestone } : {}) });

  const files: Record<string, string> = own ? { checkpoint: own.checkpoint } : {};
  for (const file of wanted) {
    const message = `downloading ${file.name}`;
    report(message);
    const fetched = await fetchSource({
      file,
      dir: sourceCacheDir(folder),
      settings: job.settings,
      signal: job.signal,
      http: job.http,
      retries: job.retries,
      onBytes: (bytes) => {
        got.set(file.role, bytes);
        // A size the catalogue leaves to the server is known once the download has begun.
        if (bytes > (sizes.get(file.role) ?? 0)) sizes.set(file.role, bytes);
        report(message);
      },
    });
    sizes.set(file.role, fetched.sizeBytes);
    got.set(file.role, fetched.sizeBytes);
    files[file.role] = fetched.path;
  }
  if (job.signal.aborted) throw new AppError('JOB_CANCELLED', 'The job was cancelled.');

  const { packId: installed } = await assembleInThread({
    recipeId: entry.id,
    recipeDir: job.recipeDir,
    files,
    stagingDir: staging,
    modelsDir: folder.dir,
    manifest: own ? { id: own.id, name: own.name } : undefined,
    signal: job.signal,
    onProgress: (p) => {
      graphs.set(p.graph, p.written);
      report(`assembling ${p.graph.replace(/\.onnx$/, '.onnx.data')}`);
    },
    onGraph: (g) => {
      graphs.set(g.graph, g.size);
      report(g.reused ? `${g.data} was written before and still verifies` : `assembled ${g.data}`, true);
    },
    onInstalling: () => report(`installing ${packId}`),
  });
  fs.rmSync(staging, { recursive: true, force: true });
  removeIfEmpty(path.dirname(staging));
  return readManifest(folder.packDir(installed));
}

/** A cancelled assembly leaves nothing: its staging folder and the partial downloads it began. */
export function discardAssembly(folder: ModelsFolder, entry: CatalogueRecipe, packId: string, own?: RecipeInstall['own']): void {
  const staging = assemblyDir(folder, packId);
  fs.rmSync(staging, { recursive: true, force: true });
  removeIfEmpty(path.dirname(staging));
  for (const file of downloads(entry, own)) {
    const dest = sourcePath(sourceCacheDir(folder), file);
    fs.rmSync(partPath(dest), { force: true });
    fs.rmSync(`${partPath(dest)}.json`, { force: true });
  }
}

function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // other assemblies are paused in it, or it was never made
  }
}

function partialBytes(dest: string): number {
  return fs.statSync(partPath(dest), { throwIfNoEntry: false })?.size ?? 0;
}

function treeBytes(dir: string): number {
  let total = 0;
  try {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
    }
  } catch {
    return 0;
  }
  return total;
}

export async function judgeCheckpoint(file: string): Promise<void> {
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
