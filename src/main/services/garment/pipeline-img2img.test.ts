import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkLauncher, InferenceWorker } from '../../workers';
import { GarmentGenerator, type GarmentRequest } from './generator';
import { loadGarmentPack, type LoadedGarmentPack } from './pack';
import type { GarmentRun } from './pipeline';
import { Golden, maxAbsDiff } from './testing/golden';
import { goldenImage, goldenRequest, shareWithin, type GoldenCase } from './testing/golden-request';
import { assembleRecipePack } from './testing/img2img';
import { packInWorker } from './testing/pack-in-worker';
import { SD15_TINY_PACK_DIR } from './testing/tiny-pack';

// "Start from the colorway": the tiny sd15-garment recipe (the one tiny pack with a VAE encoder),
// assembled by the app, against tools/models/garment/goldens_img2img.py (diffusers' img2img recipe
// over the same graphs; its pytest checks it against StableDiffusionControlNetImg2ImgPipeline).
interface Img2ImgMeta {
  case: GoldenCase & { strength: number };
  runs: Record<'imageBiased' | 'textBiased', { alpha: number; timesteps: number[] }>;
}
const golden = new Golden<Img2ImgMeta>('garment_sd15_img2img');
const { strength } = golden.meta.case;

const worker = new InferenceWorker({ launch: forkLauncher(), providers: () => ['cpu'] });
let pack: LoadedGarmentPack;
let dir: string;
// The pack without a VAE encoder, for the refusal.
const plain = packInWorker(SD15_TINY_PACK_DIR);

beforeAll(async () => {
  dir = await assembleRecipePack();
  pack = await loadGarmentPack(dir, worker);
});

afterAll(async () => {
  await pack?.unload();
  await worker.shutdown();
  if (dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

function request(overrides: Partial<GarmentRequest> = {}): GarmentRequest {
  return goldenRequest(golden, {
    lineArt: goldenImage(golden, 'lineArt'),
    keepLatents: true,
    init: { image: goldenImage(golden, 'colorway'), strength },
    ...overrides,
  });
}

describe('image-to-image from the colorway against the diffusers img2img reference', () => {
  let run: GarmentRun;
  let loadedBefore: string[];
  beforeAll(async () => {
    loadedBefore = Object.keys(pack.sessions).sort();
    run = await new GarmentGenerator(pack).generate(request());
  });

  it('loads the VAE encoder only when a run starts from an image', () => {
    expect(pack.hasGraph('vaeEncoder')).toBe(true);
    expect(loadedBefore).not.toContain('vaeEncoder');
    expect(loadedBefore).toEqual(['controlnet', 'imageEncoder', 'imageProjection', 'textEncoder', 'unet', 'vaeDecoder']);
    expect(Object.keys(pack.sessions)).toContain('vaeEncoder');
  });

  it('encodes the colorway to the golden init latents (mean x scalingFactor) within 1e-5', async () => {
    const { initPixels } = await import('./init-image');
    const mean = (await pack.run('vaeEncoder', { image: { type: 'float32', ...initPixels(goldenImage(golden, 'colorway')) } })).outputs['latentMean']!;
    const scaled = (mean.data as Float32Array).map((x) => Math.fround(x * Math.fround(pack.garment.latents.scalingFactor)));
    expect(maxAbsDiff(scaled, golden.float32('initLatents'))).toBeLessThanOrEqual(1e-5);
  });

  it('runs only the last int(steps x strength) timesteps and records the strength', () => {
    expect(run.timesteps).toEqual(golden.meta.runs.imageBiased.timesteps);
    expect(run.timesteps).toHaveLength(Math.trunc(golden.meta.case.steps * strength));
    expect(run.strength).toBe(strength);
  });

  it.each([
    ['imageBiased', 0],
    ['textBiased', 1],
  ] as const)('%s: the first denoised latents within 1e-5, the last within 1e-4, the image within 1/255', (variant, index) => {
    const v = run.variants[index]!;
    expect(v.name).toBe(variant);
    expect(v.alpha).toBe(golden.meta.runs[variant].alpha);
    expect(maxAbsDiff(v.latents[0]!, golden.float32(`${variant}/latents_first`))).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(v.latents.at(-1)!, golden.float32(`${variant}/latents_last`))).toBeLessThanOrEqual(1e-4);
    expect(shareWithin(v.image.data, golden.float32(`${variant}/image`), 2 / 255)).toBeGreaterThanOrEqual(0.999);
  });

  it('starts from the colorway given: another one moves the first step far beyond the tolerance', async () => {
    const white = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(255) };
    const other = await new GarmentGenerator(pack).generate(request({ init: { image: white, strength }, variants: ['imageBiased'] }));
    expect(maxAbsDiff(other.variants[0]!.latents[0]!, golden.float32('imageBiased/latents_first'))).toBeGreaterThan(1e-2);
  });

  it('at strength 1 is exactly text-to-image', async () => {
    const generator = new GarmentGenerator(pack);
    const full = await generator.generate(request({ init: { image: goldenImage(golden, 'colorway'), strength: 1 }, steps: 3 }));
    const text = await generator.generate(request({ init: undefined, steps: 3 }));
    expect(full.strength).toBeUndefined();
    expect(full.timesteps).toEqual(text.timesteps);
    for (let i = 0; i < 2; i++) expect(maxAbsDiff(full.variants[i]!.latents.at(-1)!, text.variants[i]!.latents.at(-1)!)).toBe(0);
  });

  it('refuses a strength that leaves no step, or lies outside 0..1, before any step runs', async () => {
    const generator = new GarmentGenerator(pack);
    const steps: number[] = [];
    const colorway = goldenImage(golden, 'colorway');
    await expect(generator.generate(request({ init: { image: colorway, strength: 0.05 } }), { onStep: (s) => steps.push(s) })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'A strength of 0.05 leaves none of the 10 steps to run; use at least 0.1, or more steps.',
    });
    await expect(generator.generate(request({ init: { image: colorway, strength: 1.5 } }))).rejects.toThrow('The strength must be a number between 0 and 1, got 1.5.');
    expect(steps).toEqual([]);
  });
});

describe('a pack without a VAE encoder', () => {
  it('refuses to start from the colorway, naming the pack, and runs nothing', async () => {
    const steps: number[] = [];
    const generator = new GarmentGenerator(plain.pack());
    await expect(generator.generate(request({ steps: 2 }), { onStep: (s) => steps.push(s) })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: `The garment pack "${plain.pack().id}" cannot start from the colorway: this pack has no VAE encoder; start from noise or install a pack that has one.`,
    });
    expect(steps).toEqual([]);
  });
});
