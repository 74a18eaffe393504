import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/contract';
import { ManifestBaseSchema } from '../../../../shared/packs/manifest-base';
import { checkPackFolder } from '../verify';
import { assemblePack } from './assemble-pack';
import { tempDir } from './test-kit';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const SOURCES = path.join(FIXTURES, 'tiny-sources');
const FILES = {
  checkpoint: path.join(SOURCES, 'checkpoint.safetensors'),
  ipAdapter: path.join(SOURCES, 'ip-adapter.safetensors'),
  lcm: path.join(SOURCES, 'lcm-lora.safetensors'),
};
const golden = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'tiny-golden.json'), 'utf8')) as {
  inputs: Record<string, { shape: number[]; data: number[] }>;
  outputs: Record<string, { shape: number[]; data: number[] }>;
};

const root = tempDir();
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The tiny recipe under its id, beside a second recipe that borrows its templates (templatesFrom). */
const recipes = path.join(root, 'recipes');
fs.cpSync(path.join(FIXTURES, 'tiny-recipe'), path.join(recipes, 'tiny-assembly'), { recursive: true });
fs.mkdirSync(path.join(recipes, 'tiny-lcm', 'pack', 'scheduler'), { recursive: true });
const base = JSON.parse(fs.readFileSync(path.join(recipes, 'tiny-assembly', 'recipe.json'), 'utf8')) as Record<string, unknown>;
fs.writeFileSync(
  path.join(recipes, 'tiny-lcm', 'recipe.json'),
  JSON.stringify({ ...base, id: 'tiny-lcm', templatesFrom: 'tiny-assembly', manifest: { ...(base.manifest as object), id: 'tiny-lcm' } }),
);
fs.writeFileSync(path.join(recipes, 'tiny-lcm', 'pack', 'scheduler', 'scheduler_config.json'), '{"_class_name": "LCMScheduler"}\n');

async function runPack(dir: string): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(path.join(dir, 'tiny.onnx'));
  try {
    const feeds = Object.fromEntries(Object.entries(golden.inputs).map(([k, t]) => [k, new ort.Tensor('float32', Float32Array.from(t.data), t.shape)]));
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

describe('assemblePack', () => {
  it('makes a pack folder that the pack verifier accepts and onnxruntime runs', async () => {
    const dir = path.join(root, 'pack-a');
    const { manifest } = await assemblePack({ recipeDir: path.join(recipes, 'tiny-assembly'), files: FILES, outDir: dir });
    const parsed = ManifestBaseSchema.parse(manifest);
    expect(parsed.files.map((f) => f.path)).toEqual(['scheduler/scheduler_config.json', 'tiny.onnx', 'tiny.onnx.data']);
    expect(Object.keys(manifest).at(-1)).toBe('files');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'))).toEqual(manifest);
    expect(await checkPackFolder(dir, parsed)).toEqual([]);
    const out = await runPack(dir);
    expect(Array.from(out.tokens!.data as Float32Array)).toEqual(golden.outputs.tokens!.data.map(Math.fround));
  });

  it('takes templates and maps from templatesFrom, its own pack files first, and the id it is given', async () => {
    const dir = path.join(root, 'pack-b');
    const { manifest } = await assemblePack({
      recipeDir: path.join(recipes, 'tiny-lcm'),
      files: FILES,
      outDir: dir,
      manifest: { id: 'my-own-checkpoint', name: 'My own checkpoint' },
    });
    expect(manifest).toMatchObject({ id: 'my-own-checkpoint', name: 'My own checkpoint', version: '1' });
    expect(fs.readFileSync(path.join(dir, 'scheduler', 'scheduler_config.json'), 'utf8')).toContain('LCMScheduler');
    expect(await checkPackFolder(dir, ManifestBaseSchema.parse(manifest))).toEqual([]);
  });

  it('refuses a folder that is not empty and leaves it alone', async () => {
    const dir = path.join(root, 'pack-c');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'mine');
    const err = await assemblePack({ recipeDir: path.join(recipes, 'tiny-assembly'), files: FILES, outDir: dir }).catch((e: unknown) => e);
    expect(AppError.is(err, 'CONFLICT')).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['keep.txt']);
  });

  it('leaves no folder behind when assembly fails', async () => {
    const dir = path.join(root, 'pack-d');
    const err = await assemblePack({ recipeDir: path.join(recipes, 'tiny-assembly'), files: { ...FILES, ipAdapter: FILES.checkpoint }, outDir: dir }).catch((e: unknown) => e);
    expect(AppError.is(err, 'INVALID_INPUT')).toBe(true);
    expect((err as AppError).message).toBe("checkpoint.safetensors is not an IP-Adapter in h94's layout: it has no ip_adapter.* keys. This is an SD 1.5 checkpoint.");
    expect(fs.existsSync(dir)).toBe(false);
  });
});
