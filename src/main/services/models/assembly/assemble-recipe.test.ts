import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/contract';
import { assembleGraph } from './assemble-graph';
import { assembleRecipe, type AssembleRecipeOptions } from './assemble-recipe';
import { decodeFloats } from './dtype';
import { planLora } from './lora';
import { loadRecipe, type TensorMap } from './recipe';
import { SafetensorsFile } from './safetensors';
import { readTwin, tempDir, writeKeyList, writeSafetensors } from './test-kit';
import { WeightSource } from './weight-source';

/**
 * End to end on the tiny recipe (fixtures/make_tiny_recipe.py): assemble the data file from the twins,
 * run the template with onnxruntime, and compare with what numpy computed from the same weights.
 */
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const RECIPE_DIR = path.join(FIXTURES, 'tiny-recipe');
const SOURCES = path.join(FIXTURES, 'tiny-sources');
const FILES = {
  checkpoint: path.join(SOURCES, 'checkpoint.safetensors'),
  ipAdapter: path.join(SOURCES, 'ip-adapter.safetensors'),
  lcm: path.join(SOURCES, 'lcm-lora.safetensors'),
};
interface Golden {
  inputs: Record<string, { shape: number[]; data: number[] }>;
  outputs: Record<string, { shape: number[]; data: number[] }>;
  initializers: Record<string, { dtype: string; data: number[] }>;
}
const golden = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'tiny-golden.json'), 'utf8')) as Golden;
const LORA_TARGETS = new Set(['proj_in.weight', 'conv_in.weight']);

const root = tempDir();
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => fs.mkdtempSync(path.join(root, `${n++}-`));

const tinyMap = async (): Promise<TensorMap> => (await loadRecipe(RECIPE_DIR)).graphs[0]!.map;
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function run(outDir: string): Promise<Record<string, ort.Tensor>> {
  fs.copyFileSync(path.join(RECIPE_DIR, 'tiny.onnx'), path.join(outDir, 'tiny.onnx'));
  const session = await ort.InferenceSession.create(path.join(outDir, 'tiny.onnx'), { executionProviders: ['cpu'] });
  try {
    const feeds = Object.fromEntries(Object.entries(golden.inputs).map(([name, t]) => [name, new ort.Tensor('float32', Float32Array.from(t.data), t.shape)]));
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

/** Largest |got - want| relative to max(1, |want|). */
function worstError(got: ArrayLike<number>, want: readonly number[]): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(Number(got[i]) - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  return worst;
}

/** The values of one initializer as they lie in the assembled data file. */
function initializer(data: Buffer, map: TensorMap, name: string): number[] {
  const entry = map.tensors.find((t) => t.name === name)!;
  const count = entry.shape.reduce((a, d) => a * d, 1);
  if (entry.dtype === 'int64') return Array.from({ length: count }, (_, i) => Number(data.readBigInt64LE(entry.offset + 8 * i)));
  const size = entry.dtype === 'float16' ? 2 : 4;
  const bytes = Uint8Array.from(data.subarray(entry.offset, entry.offset + count * size));
  const out = new Float32Array(count);
  decodeFloats(entry.dtype === 'float16' ? 'F16' : 'F32', bytes, out);
  return Array.from(out);
}

async function failure(options: Partial<AssembleRecipeOptions> & { outDir: string }): Promise<AppError> {
  const err = await assembleRecipe({ recipeDir: RECIPE_DIR, files: FILES, ...options }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  // Nothing is written on failure: no data file, no temp file.
  expect(fs.readdirSync(options.outDir)).toEqual([]);
  return err as AppError;
}

/** A copy of the tiny recipe whose tensor map (or recipe.json) is changed by `edit`. */
function editedRecipe(edit: (map: TensorMap, recipe: Record<string, unknown>) => void): string {
  const dir = freshDir();
  fs.cpSync(RECIPE_DIR, dir, { recursive: true });
  const map = JSON.parse(fs.readFileSync(path.join(dir, 'tiny.tensors.json'), 'utf8')) as TensorMap;
  const recipe = JSON.parse(fs.readFileSync(path.join(dir, 'recipe.json'), 'utf8')) as Record<string, unknown>;
  edit(map, recipe);
  fs.writeFileSync(path.join(dir, 'tiny.tensors.json'), JSON.stringify(map));
  fs.writeFileSync(path.join(dir, 'recipe.json'), JSON.stringify(recipe));
  return dir;
}

describe('assembling the tiny recipe', () => {
  it('writes a data file whose graph computes what numpy computed, with its sha256 and size', async () => {
    const outDir = freshDir();
    const progress: number[] = [];
    const result = await assembleRecipe({ recipeDir: RECIPE_DIR, files: FILES, outDir, onProgress: (p) => progress.push(p.written) });
    const map = await tinyMap();
    const dataFile = path.join(outDir, 'tiny.onnx.data');
    expect(result.data).toEqual([{ graph: 'tiny.onnx', path: dataFile, size: map.dataBytes, sha256: sha256(dataFile) }]);
    expect(fs.readdirSync(outDir)).toEqual(['tiny.onnx.data']);
    expect(progress.at(-1)).toBe(map.dataBytes);

    const data = fs.readFileSync(dataFile);
    for (const [name, want] of Object.entries(golden.initializers)) {
      const got = initializer(data, map, name);
      // Merged weights may differ from numpy's float32 matmul in the last bit; everything else is exact.
      if (LORA_TARGETS.has(name)) expect(worstError(got, want.data), name).toBeLessThan(1e-6);
      else expect(got, name).toEqual(want.data);
    }

    const outputs = await run(outDir);
    for (const [name, want] of Object.entries(golden.outputs)) {
      expect(outputs[name]!.dims).toEqual(want.shape);
      expect(worstError(outputs[name]!.data as Float32Array, want.data), name).toBeLessThan(1e-5);
    }
  });

  it('leaves the LoRA out when its optional file is not given, and then differs exactly where it merged', async () => {
    const outDir = freshDir();
    await assembleRecipe({ recipeDir: RECIPE_DIR, files: { checkpoint: FILES.checkpoint, ipAdapter: FILES.ipAdapter }, outDir });
    const map = await tinyMap();
    const data = fs.readFileSync(path.join(outDir, 'tiny.onnx.data'));
    for (const [name, want] of Object.entries(golden.initializers)) {
      if (LORA_TARGETS.has(name)) expect(worstError(initializer(data, map, name), want.data)).toBeGreaterThan(1e-3);
      else expect(initializer(data, map, name)).toEqual(want.data);
    }
    const outputs = await run(outDir);
    expect(worstError(outputs.tokens!.data as Float32Array, golden.outputs.tokens!.data)).toBeLessThan(1e-6);
    expect(worstError(outputs.features!.data as Float32Array, golden.outputs.features!.data)).toBeGreaterThan(1e-3);
  });

  it('gives the same bytes when every tensor streams through in 2-byte chunks', async () => {
    const { recipe, graphs } = await loadRecipe(RECIPE_DIR);
    const first = await assembleRecipe({ recipeDir: RECIPE_DIR, files: FILES, outDir: freshDir() });
    const opened = await Promise.all(Object.values(FILES).map((f) => SafetensorsFile.open(f)));
    try {
      const [checkpoint, ipAdapter, lcm] = opened as [SafetensorsFile, SafetensorsFile, SafetensorsFile];
      const sources = new Map([
        ['checkpoint', new WeightSource('checkpoint', checkpoint)],
        ['ipAdapter', new WeightSource('ipAdapter', ipAdapter)],
      ]);
      sources.get('checkpoint')!.addLora(planLora({ file: lcm, scale: recipe.loras[0]!.scale }, checkpoint, recipe.loraTargets));
      const small = await assembleGraph({ map: graphs[0]!.map, sources, outFile: path.join(freshDir(), 'tiny.onnx.data'), chunkBytes: 2 });
      expect(small.sha256).toBe(first.data[0]!.sha256);
    } finally {
      await Promise.all(opened.map((f) => f.close()));
    }
  });
});

describe('refusals name the problem and write nothing', () => {
  it('names a missing key with its source file', async () => {
    const twin = await readTwin(FILES.checkpoint);
    delete twin['model.diffusion_model.out.2.weight'];
    const checkpoint = writeSafetensors(path.join(freshDir(), 'my-model.safetensors'), twin);
    const err = await failure({ files: { ...FILES, checkpoint }, outDir: freshDir() });
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toContain('model.diffusion_model.out.2.weight is missing from my-model.safetensors (the checkpoint file)');
  });

  it('names a source tensor whose shape is not the one the map expects, with both shapes', async () => {
    const twin = await readTwin(FILES.checkpoint);
    twin['model.diffusion_model.input_blocks.0.0.bias'] = { dtype: 'F32', shape: [4] };
    const checkpoint = writeSafetensors(path.join(freshDir(), 'wide.safetensors'), twin);
    const err = await failure({ files: { ...FILES, checkpoint }, outDir: freshDir() });
    expect(err.message).toContain('model.diffusion_model.input_blocks.0.0.bias in wide.safetensors is [4], but the map expects [3]');
  });

  it('names an initializer whose ops do not give the graph its shape, with both shapes', async () => {
    const recipeDir = editedRecipe((map) => {
      map.tensors[0]!.ops = [{ op: 'reshape', shape: [16, 8] }];
    });
    const err = await failure({ recipeDir, outDir: freshDir() });
    expect(err.message).toContain('proj_in.weight from model.diffusion_model.input_blocks.1.1.proj_in.weight comes out [16, 8], but the graph needs [8, 16]');
  });

  it('names keys the recipe neither uses nor ignores, the first ten and a count', async () => {
    const twin = await readTwin(FILES.checkpoint);
    for (let i = 0; i < 11; i++) twin[`model.diffusion_model.extra.${i}.weight`] = { dtype: 'F16', shape: [2] };
    const checkpoint = writeSafetensors(path.join(freshDir(), 'merged.safetensors'), twin);
    const err = await failure({ files: { ...FILES, checkpoint }, outDir: freshDir() });
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toMatch(/merged\.safetensors has 11 tensors the recipe tiny-assembly neither uses nor ignores, .*: model\.diffusion_model\.extra\.0\.weight, .* and 1 more\./);
  });

  it('refuses an SDXL checkpoint as the SD 1.5 source, by name', async () => {
    const sdxl = writeKeyList(path.join(freshDir(), 'juggernaut-xl.safetensors'), {
      'model.diffusion_model.label_emb.0.0.weight': [0, 2816],
      'conditioner.embedders.1.model.ln_final.weight': [0],
    });
    const err = await failure({ files: { ...FILES, checkpoint: sdxl }, outDir: freshDir() });
    expect(err.message).toBe('juggernaut-xl.safetensors: this is an SDXL checkpoint; garment packs need SD 1.5.');
  });

  it('refuses a pickle checkpoint without opening it', async () => {
    const err = await failure({ files: { ...FILES, checkpoint: path.join(root, 'v1-5-pruned-emaonly.ckpt') }, outDir: freshDir() });
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('this is a pickle checkpoint (.ckpt); please use its .safetensors file');
  });

  it('says which required file is missing', async () => {
    const err = await failure({ files: { checkpoint: FILES.checkpoint }, outDir: freshDir() });
    expect(err.code).toBe('MODEL_MISSING');
    expect(err.message).toBe('The recipe tiny-assembly needs its ipAdapter file (h94-ip-adapter).');
  });

  it('stops when cancelled, keeping nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await failure({ outDir: freshDir(), signal: controller.signal });
    expect(err.code).toBe('JOB_CANCELLED');
  });

  it('removes graphs it already finished when a later one stops', async () => {
    const recipeDir = editedRecipe((_map, recipe) => {
      recipe.graphs = [
        { file: 'tiny.onnx', data: 'tiny.onnx.data', tensors: 'tiny.tensors.json' },
        { file: 'tiny2.onnx', data: 'tiny2.onnx.data', tensors: 'tiny2.tensors.json' },
      ];
    });
    const second = JSON.parse(fs.readFileSync(path.join(recipeDir, 'tiny.tensors.json'), 'utf8')) as TensorMap;
    fs.writeFileSync(path.join(recipeDir, 'tiny2.tensors.json'), JSON.stringify({ ...second, graph: 'tiny2.onnx', data: 'tiny2.onnx.data' }));
    fs.copyFileSync(path.join(recipeDir, 'tiny.onnx'), path.join(recipeDir, 'tiny2.onnx'));
    const controller = new AbortController();
    const seen = new Set<string>();
    const err = await failure({
      recipeDir,
      outDir: freshDir(),
      signal: controller.signal,
      onProgress: (p) => {
        seen.add(p.graph);
        if (p.graph === 'tiny2.onnx') controller.abort();
      },
    });
    expect(err.code).toBe('JOB_CANCELLED');
    expect([...seen]).toEqual(['tiny.onnx', 'tiny2.onnx']);
  });

  it('refuses a tensor map with a gap wider than alignment or a size its tensors do not end at', async () => {
    const recipeDir = editedRecipe((map) => {
      map.tensors.at(-1)!.offset += 4096;
      map.dataBytes = 2 ** 40;
    });
    const err = await failure({ recipeDir, outDir: freshDir() });
    expect(err.message).toMatch(/\(2 problems\): position_ids starts 4\d{3} bytes after the tensor before it, more than the 64-byte alignment/);
    expect(err.message).toMatch(/the tensors end at byte \d+, but the map says the data file has 1099511627776\./);
  });

  it('refuses a tensor map whose initializers overlap', async () => {
    const recipeDir = editedRecipe((map) => {
      map.tensors[1]!.offset = 256;
    });
    const err = await failure({ recipeDir, outDir: freshDir() });
    expect(err.message).toContain('proj_in.weight (512 bytes at 0) runs into proj_in.bias at 256');
  });
});
