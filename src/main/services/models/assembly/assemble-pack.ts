import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../../../shared/contract';
import { ManifestBaseSchema, type PackFile } from '../../../../shared/packs/manifest-base';
import { describeFsError, writeFileAtomic } from '../../outputs';
import { assembleRecipe, type AssembleRecipeOptions } from './assemble-recipe';

export interface AssemblePackOptions extends AssembleRecipeOptions {
  /** What the assembler may set in the recipe's manifest (a technician's own checkpoint gets its own id and name). */
  manifest?: { id?: string; name?: string; version?: string; source?: unknown };
  /** With `resume`: the data files an earlier run left in outDir to keep; everything else there is removed first. */
  keep?: readonly string[];
}

export interface AssembledPack {
  dir: string;
  /** The manifest.json written: the recipe's, with `files` last. */
  manifest: Record<string, unknown>;
}

/**
 * A whole pack folder from a recipe, as the Python reference assembler (tools/models/recipes/assemble.py)
 * makes it: the data files, the templates and pack files copied, and manifest.json with every file's
 * sha256 and size. `outDir` must be new or empty (a staging folder); on failure it is left as it was.
 */
export async function assemblePack(options: AssemblePackOptions): Promise<AssembledPack> {
  const dir = options.outDir;
  // A resumed run starts from the data files an earlier one finished (options.keep), nothing else.
  const created = options.resume ? await clearAllBut(dir, options.keep ?? []) : await prepareEmptyDir(dir);
  try {
    const assembled = await assembleRecipe(options);
    const files: PackFile[] = assembled.data.map((d) => ({ path: path.basename(d.path), sha256: d.sha256, size: d.size }));
    for (const graph of assembled.graphs) files.push(await copyInto(dir, graph.file, path.join(graph.dir, graph.file)));
    for (const file of assembled.packFiles) files.push(await copyInto(dir, file.path, file.from));
    files.sort((a, b) => comparePaths(a.path, b.path));

    const fields: Record<string, unknown> = { ...assembled.recipe.manifest, ...definedOnly(options.manifest ?? {}) };
    delete fields.files;
    const manifest = { ...fields, files };
    const checked = ManifestBaseSchema.safeParse(manifest);
    if (!checked.success) {
      const issues = checked.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
      throw new AppError('MODEL_INVALID', `The recipe ${assembled.recipe.id} gives an invalid manifest: ${issues.join('; ')}.`);
    }
    await writeFileAtomic(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return { dir, manifest };
  } catch (err) {
    if (!options.resume) await clearDir(dir, created);
    throw err;
  }
}

/** Makes `dir` (creating it) hold only the top-level files named in `keep`. */
async function clearAllBut(dir: string, keep: readonly string[]): Promise<boolean> {
  await fs.mkdir(dir, { recursive: true });
  const entries = await fs.readdir(dir);
  await Promise.all(entries.filter((e) => !keep.includes(e)).map((e) => fs.rm(path.join(dir, e), { recursive: true, force: true })));
  return false;
}

async function prepareEmptyDir(dir: string): Promise<boolean> {
  const entries = await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw new AppError('INVALID_INPUT', `Cannot use ${dir} for a pack: ${describeFsError(err)}.`);
  });
  if (entries === null) {
    await fs.mkdir(dir, { recursive: true });
    return true;
  }
  if (entries.length > 0) throw new AppError('CONFLICT', `${dir} is not empty; a pack is assembled into a new or empty folder.`);
  return false;
}

async function clearDir(dir: string, created: boolean): Promise<void> {
  if (created) {
    await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    return;
  }
  const entries = await fs.readdir(dir).catch(() => []);
  await Promise.all(entries.map((e) => fs.rm(path.join(dir, e), { recursive: true, force: true }).catch(() => undefined)));
}

/** Copies one file into the pack, hashing it on the way. */
async function copyInto(dir: string, rel: string, from: string): Promise<PackFile> {
  const to = path.join(dir, ...rel.split('/'));
  await fs.mkdir(path.dirname(to), { recursive: true });
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      createReadStream(from),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          size += chunk.byteLength;
          yield chunk;
        }
      },
      createWriteStream(to, { flags: 'wx' }),
    );
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new AppError('DISK_FULL', `The disk is full while copying ${rel} into the pack.`);
    throw new AppError('MODEL_INVALID', `Cannot copy ${rel} into the pack: ${describeFsError(err)}.`);
  }
  return { path: rel, sha256: hash.digest('hex'), size };
}

/** Python's sorted() over Path objects, which list_pack_files uses: component by component. */
function comparePaths(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i]! < pb[i]! ? -1 : 1;
  }
  return pa.length - pb.length;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
