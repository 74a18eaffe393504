import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../../shared/contract';
import { PackRelativePath } from '../../../../shared/packs/manifest-base';

/** tools/models/RECIPES.md in zod: recipe.json and the per-graph tensor maps. */

export const SOURCE_LAYOUTS = [
  'sd15-single-file',
  'h94-ip-adapter',
  'hf-clip-vision-projection',
  'controlnet-v11',
  'sd15-lora-kohya',
  'hf-chinese-clip',
] as const;
export type SourceLayout = (typeof SOURCE_LAYOUTS)[number];

const Role = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'a role is a short name of letters, digits, "_" or "-"');
/** A file next to recipe.json or in the pack's top folder: a plain name, no folders. */
const FileName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'must be a plain file name').refine((n) => !n.includes('..'), 'must not contain ".."');
const Dim = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const Shape = z.array(Dim).max(8);
const Axis = z.number().int().nonnegative().max(7);

const RegexSource = z.string().refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, 'is not a valid regular expression');

export const TensorOpSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('concat'), axis: Axis }),
  z.object({ op: z.literal('slice'), axis: Axis, start: Dim, end: Dim }),
  z.object({ op: z.literal('transpose'), perm: z.array(Axis).min(1).max(8) }),
  z.object({ op: z.literal('reshape'), shape: Shape }),
  z.object({ op: z.literal('scale'), by: z.number().finite() }),
]);
export type TensorOp = z.infer<typeof TensorOpSchema>;

export const TensorFromSchema = z.object({ source: Role, key: z.string().min(1).max(500), shape: Shape });
export type TensorFrom = z.infer<typeof TensorFromSchema>;

export const TensorEntrySchema = z.object({
  name: z.string().min(1).max(500),
  offset: Dim,
  dtype: z.enum(['float32', 'float16', 'int64', 'int32']),
  shape: Shape,
  from: z.array(TensorFromSchema).min(1).max(64),
  ops: z.array(TensorOpSchema).max(16).default([]),
});
export type TensorEntry = z.infer<typeof TensorEntrySchema>;

export const TensorMapSchema = z.object({
  graph: FileName,
  data: FileName,
  dataBytes: Dim,
  tensors: z.array(TensorEntrySchema),
});
export type TensorMap = z.infer<typeof TensorMapSchema>;

export const RecipeSchema = z
  .object({
    recipeFormat: z.literal(1),
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'an id is 2-64 characters of a-z, 0-9, ".", "_" or "-"'),
    name: z.string().min(1).max(200),
    description: z.string().max(4000).optional(),
    sources: z.record(Role, z.object({ layout: z.enum(SOURCE_LAYOUTS), description: z.string().max(2000).optional(), optional: z.boolean().optional() })),
    /** A sibling recipe whose templates and tensor maps `graphs` names when this folder lacks them. */
    templatesFrom: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'must be a recipe id').optional(),
    graphs: z.array(z.object({ file: FileName, data: FileName, tensors: FileName })).min(1),
    loras: z.array(z.object({ source: Role, into: Role, format: z.literal('sd15-lora-kohya'), scale: z.number().finite() })).default([]),
    /** kohya module name (`lora_unet_down_blocks_0_attentions_0_proj_in`) -> key in the `into` source. */
    loraTargets: z.record(z.string().min(1), z.string().min(1)).default({}),
    ignored: z.record(Role, z.array(RegexSource)).default({}),
    manifest: z.record(z.string(), z.unknown()),
    packFiles: z.array(PackRelativePath).default([]),
  })
  .superRefine((recipe, ctx) => {
    const roles = new Set(Object.keys(recipe.sources));
    recipe.loras.forEach((lora, i) => {
      for (const field of ['source', 'into'] as const) {
        if (!roles.has(lora[field])) ctx.addIssue({ code: 'custom', path: ['loras', i, field], message: `names no source "${lora[field]}"` });
      }
      if (recipe.sources[lora.source]?.layout !== lora.format) {
        ctx.addIssue({ code: 'custom', path: ['loras', i, 'source'], message: `source "${lora.source}" is not in layout ${lora.format}` });
      }
    });
    for (const role of Object.keys(recipe.ignored)) {
      if (!roles.has(role)) ctx.addIssue({ code: 'custom', path: ['ignored', role], message: `names no source "${role}"` });
    }
  });
export type Recipe = z.infer<typeof RecipeSchema>;

export interface RecipeGraph {
  file: string;
  data: string;
  tensors: string;
  /** The folder holding the template and its tensor map: the recipe's own or its templatesFrom's. */
  dir: string;
  map: TensorMap;
}

export interface LoadedRecipe {
  recipe: Recipe;
  graphs: RecipeGraph[];
  /** Each of `packFiles` with the file it is copied from. */
  packFiles: Array<{ path: string; from: string }>;
}

/**
 * Reads and checks recipe.json and every tensor map it names. With `templatesFrom`, a template, map or
 * pack file this folder lacks comes from the sibling recipe of that id.
 */
export async function loadRecipe(recipeDir: string): Promise<LoadedRecipe> {
  const recipe = parseJsonFile(RecipeSchema, path.join(recipeDir, 'recipe.json'), await readText(recipeDir, 'recipe.json'));
  const dirs = recipe.templatesFrom ? [recipeDir, path.join(path.dirname(recipeDir), recipe.templatesFrom)] : [recipeDir];
  const graphs: RecipeGraph[] = [];
  for (const graph of recipe.graphs) {
    const dir = await firstHolding(dirs, graph.tensors);
    const file = path.join(dir, graph.tensors);
    const map = parseJsonFile(TensorMapSchema, file, await readText(dir, graph.tensors));
    if (map.graph !== graph.file || map.data !== graph.data) {
      throw new AppError('MODEL_INVALID', `${graph.tensors} describes ${map.graph} -> ${map.data}, but recipe.json lists ${graph.file} -> ${graph.data}.`);
    }
    for (const entry of map.tensors) {
      for (const from of entry.from) {
        if (!(from.source in recipe.sources)) {
          throw new AppError('MODEL_INVALID', `${graph.tensors}: "${entry.name}" reads source "${from.source}", which recipe.json does not list.`);
        }
      }
    }
    graphs.push({ ...graph, dir: await firstHolding(dirs, graph.file), map });
  }
  const packFiles = [];
  for (const rel of recipe.packFiles) packFiles.push({ path: rel, from: path.join(await firstHolding(dirs.map((d) => path.join(d, 'pack')), rel), rel) });
  return { recipe, graphs, packFiles };
}

async function firstHolding(dirs: readonly string[], name: string): Promise<string> {
  for (const dir of dirs) {
    if (await fs.stat(path.join(dir, name)).then((s) => s.isFile(), () => false)) return dir;
  }
  throw new AppError('MODEL_MISSING', `The recipe has no ${name} (looked in ${dirs.join(' and ')}).`);
}

/** `ignored` patterns match a key whole, as Python's re.fullmatch does. */
export function ignoredMatcher(patterns: readonly string[]): (key: string) => boolean {
  const compiled = patterns.map((p) => new RegExp(`^(?:${p})$`));
  return (key) => compiled.some((re) => re.test(key));
}

async function readText(dir: string, name: string): Promise<string> {
  try {
    return await fs.readFile(path.join(dir, name), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError(code === 'ENOENT' ? 'MODEL_MISSING' : 'MODEL_INVALID', `The recipe in ${dir} has no readable ${name}.`);
  }
}

export function parseJsonFile<T>(schema: z.ZodType<T>, file: string, text: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError('MODEL_INVALID', `${path.basename(file)} is not valid JSON: ${(err as Error).message}.`, { path: file });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new AppError('MODEL_INVALID', `${path.basename(file)} does not match the recipe format: ${issues.join('; ')}.`, { path: file, issues });
  }
  return parsed.data;
}
