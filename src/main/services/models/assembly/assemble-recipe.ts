import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../../shared/contract';
import { assembleGraph, checkTensorMap } from './assemble-graph';
import { requireLayout } from './checkpoint-kind';
import type { AssembledFile } from './data-writer';
import { planLora } from './lora';
import { someNames } from './names';
import { ignoredMatcher, loadRecipe, type LoadedRecipe, type Recipe, type TensorMap } from './recipe';
import { SafetensorsFile } from './safetensors';
import { WeightSource } from './weight-source';

export interface AssembleRecipeOptions {
  /** resources/models/recipes/<id>: recipe.json, the templates and their tensor maps. */
  recipeDir: string;
  /** The downloaded (or the technician's own) file for each source role of the recipe. */
  files: Readonly<Record<string, string>>;
  /** An existing folder (a staging folder) that receives every `<graph>.onnx.data`. */
  outDir: string;
  signal?: AbortSignal;
  onProgress?: (progress: { graph: string; written: number; total: number }) => void;
  /**
   * Resume across runs (a paused or interrupted job): data files an earlier run finished are reused
   * when `reuse` vouches for them, each finished file is announced to `written` before the next graph
   * starts, and a failure keeps the finished files for the next run instead of removing them.
   */
  resume?: AssemblyResume;
}

export interface AssemblyResume {
  /** The data file of `map` as an earlier run wrote it, checked again (size and sha256), or null to write it. */
  reuse(map: TensorMap): Promise<AssembledFile | null>;
  /** Called with each data file once complete (written or reused); the next graph waits for it. */
  written(file: AssembledFile & { graph: string; reused: boolean }): Promise<void>;
}

export interface AssembledRecipe extends LoadedRecipe {
  /** The data files written, one per graph in the recipe's order, with their sha256 and size. */
  data: Array<AssembledFile & { graph: string }>;
}

/** The opened, recognised and checked sources of a recipe, ready to write; close() when done. */
interface PreparedAssembly extends LoadedRecipe {
  sources: Map<string, WeightSource>;
  close(): Promise<void>;
}

/**
 * Everything that can be known before writing, from the headers alone: every source opened and
 * recognised, the LoRA merges planned, every tensor map checked, every key of every source used or
 * ignored. A technician's own checkpoint is judged in a moment this way, before a long assembly.
 */
async function prepareAssembly(recipeDir: string, files: Readonly<Record<string, string>>): Promise<PreparedAssembly> {
  const loaded = await loadRecipe(recipeDir);
  const { recipe } = loaded;
  const maps = loaded.graphs.map((g) => g.map);
  const sources = await openSources(recipe, files);
  const close = () => Promise.all([...sources.values()].map((s) => s.file.close())).then(() => undefined);
  try {
    for (const lora of recipe.loras) {
      const loraSource = sources.get(lora.source);
      const into = sources.get(lora.into);
      if (!loraSource) continue;
      if (!into) throw new AppError('MODEL_MISSING', `The LoRA ${loraSource.file.name} goes into the ${lora.into} file, which was not given.`);
      into.addLora(planLora({ file: loraSource.file, scale: lora.scale }, into.file, recipe.loraTargets));
    }
    // Missing and mis-shaped tensors first: they say more about a wrong file than its extra keys do.
    for (const map of maps) checkTensorMap(map, sources);
    refuseUnknownKeys(recipe, maps, sources);
  } catch (err) {
    await close();
    throw err;
  }
  return { ...loaded, sources, close };
}

/** Checks that these files make this recipe's pack, without writing anything (see prepareAssembly). */
export async function checkRecipe(recipeDir: string, files: Readonly<Record<string, string>>): Promise<LoadedRecipe> {
  const { sources: _sources, close, ...loaded } = await prepareAssembly(recipeDir, files);
  await close();
  return loaded;
}

/**
 * Runs a recipe: all of prepareAssembly's checks first, then each graph's data file. On any failure
 * the files this call wrote are removed.
 */
export async function assembleRecipe(options: AssembleRecipeOptions): Promise<AssembledRecipe> {
  const { sources, close, ...loaded } = await prepareAssembly(options.recipeDir, options.files);
  const written: AssembledFile[] = [];
  try {
    const data: AssembledRecipe['data'] = [];
    for (const { map } of loaded.graphs) {
      const reused = (await options.resume?.reuse(map)) ?? null;
      if (reused) {
        data.push({ ...reused, graph: map.graph });
        options.onProgress?.({ graph: map.graph, written: reused.size, total: map.dataBytes });
        await options.resume!.written({ ...reused, graph: map.graph, reused: true });
        continue;
      }
      const done = await assembleGraph({
        map,
        sources,
        outFile: path.join(options.outDir, map.data),
        signal: options.signal,
        onProgress: (w, total) => options.onProgress?.({ graph: map.graph, written: w, total }),
      });
      written.push(done);
      data.push({ ...done, graph: map.graph });
      await options.resume?.written({ ...done, graph: map.graph, reused: false });
    }
    return { ...loaded, data };
  } catch (err) {
    // A resumable run keeps what it finished; the journal says which files those are.
    if (!options.resume) await Promise.all(written.map((f) => fs.rm(f.path, { force: true }).catch(() => undefined)));
    throw err;
  } finally {
    await close();
  }
}

async function openSources(recipe: Recipe, files: Readonly<Record<string, string>>): Promise<Map<string, WeightSource>> {
  const unknown = Object.keys(files).filter((role) => !Object.hasOwn(recipe.sources, role));
  if (unknown.length > 0) {
    throw new AppError('INVALID_INPUT', `The recipe ${recipe.id} has no source called ${someNames(unknown)}; its sources are ${Object.keys(recipe.sources).join(', ')}.`);
  }
  const sources = new Map<string, WeightSource>();
  try {
    for (const [role, source] of Object.entries(recipe.sources)) {
      const file = files[role];
      if (file === undefined) {
        // Only a LoRA can be left out; a graph that reads a missing file is refused by checkTensorMap.
        if (source.optional) continue;
        throw new AppError('MODEL_MISSING', `The recipe ${recipe.id} needs its ${role} file (${source.layout}).`, { role });
      }
      const opened = await SafetensorsFile.open(file);
      sources.set(role, new WeightSource(role, opened));
      requireLayout(opened, source.layout);
    }
  } catch (err) {
    await Promise.all([...sources.values()].map((s) => s.file.close()));
    throw err;
  }
  return sources;
}

/**
 * A key that no map reads and no `ignored` pattern names means the file is not quite what the recipe
 * was made for (another variant, an extra module); assembling it anyway would silently drop weights.
 */
function refuseUnknownKeys(recipe: Recipe, maps: readonly TensorMap[], sources: ReadonlyMap<string, WeightSource>): void {
  const used = new Set<string>();
  for (const map of maps) for (const entry of map.tensors) for (const from of entry.from) used.add(`${from.source}\u0000${from.key}`);
  const loraRoles = new Set(recipe.loras.map((l) => l.source));
  for (const [role, source] of sources) {
    // planLora has already placed or refused every key of a LoRA file.
    if (loraRoles.has(role)) continue;
    const ignored = ignoredMatcher(recipe.ignored[role] ?? []);
    const unknown = [...source.file.keys()].filter((key) => !used.has(`${role}\u0000${key}`) && !ignored(key));
    if (unknown.length > 0) {
      throw new AppError(
        'MODEL_INVALID',
        `${source.file.name} has ${unknown.length} ${unknown.length === 1 ? 'tensor' : 'tensors'} the recipe ${recipe.id} neither uses nor ignores, so it is not the file the recipe was made for: ${someNames(unknown)}.`,
        { path: source.file.path, role, keys: unknown.slice(0, 100), count: unknown.length },
      );
    }
  }
}
