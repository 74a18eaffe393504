import { beforeAll, describe, expect, it } from 'vitest';
import type { WireTensor } from '../../workers';
import { GarmentGenerator, type GarmentRequest } from './generator';
import type { GarmentRun } from './pipeline';
import { encodePng, imageFromDecoder, readPngText } from './png';
import { Golden, maxAbsDiff } from './testing/golden';
import { goldenRequest, shareWithin, type GoldenCase } from './testing/golden-request';
import { packInWorker } from './testing/pack-in-worker';
import { TINY_PACK_DIR } from './testing/tiny-pack';

// Made by tools/models/garment/goldens.py (graphs(), pipeline()) with the reference pipeline in
// tools/models/garment/pipeline.py over the same tiny pack, diffusers' DDIM and onnxruntime on CPU.
interface PipelineMeta {
  case: GoldenCase;
  runs: Record<'rule' | 'textBiased', { alpha: number; timesteps: number[]; middleStep: number }>;
}
const golden = new Golden<PipelineMeta>('garment_pipeline');
const graphsGolden = new Golden<{ graphs: Record<string, { inputs: string[]; outputs: string[] }> }>('garment_graphs');

const { pack } = packInWorker(TINY_PACK_DIR);

function request(overrides: Partial<GarmentRequest> = {}): GarmentRequest {
  return goldenRequest(golden, { alpha: { imageBiased: 'rule', textBiased: 0.3 }, keepLatents: true, ...overrides });
}

describe('each graph of the tiny pack against onnxruntime in Python', () => {
  it.each(Object.keys(graphsGolden.meta.graphs))('%s', async (key) => {
    const spec = graphsGolden.meta.graphs[key]!;
    const feeds: Record<string, WireTensor> = {};
    for (const role of spec.inputs) {
      const a = graphsGolden.array(`${key}/inputs/${role}`);
      feeds[role] = a.data instanceof BigInt64Array
        ? { type: 'int64', dims: a.shape, data: a.data }
        : { type: 'float32', dims: a.shape, data: a.data as Float32Array };
    }
    const { outputs } = await pack().run(key as 'unet', feeds);
    for (const role of spec.outputs) {
      expect(maxAbsDiff(outputs[role]!.data as Float32Array, graphsGolden.float32(`${key}/outputs/${role}`))).toBeLessThanOrEqual(1e-4);
    }
  });
});

describe('garment pipeline against the Python reference', () => {
  let batched: GarmentRun;
  let sequential: GarmentRun;
  beforeAll(async () => {
    const pipeline = new GarmentGenerator(pack());
    batched = await pipeline.generate(request({ batched: true }));
    sequential = await pipeline.generate(request({ batched: false }));
  });

  it('computes the harmonized alpha and uses the given one', () => {
    expect(batched.batched).toBe(true);
    expect(batched.timesteps).toEqual(golden.meta.runs.rule.timesteps);
    expect(Math.abs(batched.variants[0]!.alpha - golden.meta.runs.rule.alpha)).toBeLessThanOrEqual(1e-6);
    expect(batched.variants[1]!.alpha).toBe(0.3);
  });

  it.each([
    ['imageBiased', 'rule', 0],
    ['textBiased', 'textBiased', 1],
  ] as const)('%s: latents within 1e-3 and the image within 1/255 on 99.9%% of pixels', (_name, run, index) => {
    const v = batched.variants[index]!;
    const middle = golden.meta.runs[run].middleStep;
    expect(maxAbsDiff(v.latents[0]!, golden.float32(`${run}/latents_first`))).toBeLessThanOrEqual(1e-3);
    expect(maxAbsDiff(v.latents[middle]!, golden.float32(`${run}/latents_middle`))).toBeLessThanOrEqual(1e-3);
    expect(maxAbsDiff(v.latents.at(-1)!, golden.float32(`${run}/latents_last`))).toBeLessThanOrEqual(1e-3);
    // The image is in [-1, 1]: 1/255 of the [0, 1] range is 2/255 here.
    expect(shareWithin(v.image.data, golden.float32(`${run}/image`), 2 / 255)).toBeGreaterThanOrEqual(0.999);
  });

  it('gives the same result batched and sequential, within 1e-4', () => {
    expect(sequential.batched).toBe(false);
    for (let i = 0; i < 2; i++) {
      expect(maxAbsDiff(batched.variants[i]!.latents.at(-1)!, sequential.variants[i]!.latents.at(-1)!)).toBeLessThanOrEqual(1e-4);
      expect(maxAbsDiff(batched.variants[i]!.image.data, sequential.variants[i]!.image.data)).toBeLessThanOrEqual(1e-4);
    }
  });

  it('makes the same PNG bytes from the same inputs and seed, with the parameters inside', async () => {
    const pipeline = new GarmentGenerator(pack());
    const again = await pipeline.generate(request({ noise: undefined, seed: 11, scheduler: 'euler-ancestral' }));
    const once = await pipeline.generate(request({ noise: undefined, seed: 11, scheduler: 'euler-ancestral' }));
    const png = (r: GarmentRun) => encodePng(imageFromDecoder(r.variants[0]!.image), { 'jinxiu:parameters': JSON.stringify({ seed: 11, prompt: '红色牛仔夹克' }) });
    expect(png(again).equals(png(once))).toBe(true);
    expect(JSON.parse(readPngText(png(once))['jinxiu:parameters']!)).toEqual({ seed: 11, prompt: '红色牛仔夹克' });
    const other = await pipeline.generate(request({ noise: undefined, seed: 12, scheduler: 'euler-ancestral' }));
    expect(png(other).equals(png(once))).toBe(false);
  });

  it('reports progress per step and stops within a step when cancelled', async () => {
    const pipeline = new GarmentGenerator(pack());
    const controller = new AbortController();
    const seen: number[] = [];
    const run = pipeline.generate(request(), {
      signal: controller.signal,
      onStep: (step) => {
        seen.push(step);
        if (step === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
    expect(seen).toEqual([1, 2]);
  });

  it('refuses a control scale for a pack without a ControlNet', async () => {
    const pipeline = new GarmentGenerator(pack());
    await expect(pipeline.generate(request({ controlScale: 0.5 }))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'The pack "jinxiu-garment-tiny-random" has no ControlNet, so a control scale does not apply.',
    });
  });

  it('refuses a swatch when no fabric can be named', async () => {
    const pipeline = new GarmentGenerator(pack());
    await expect(pipeline.generate(request({ fabricLabel: null, prompt: 'a jacket' }))).rejects.toThrow(/names no fabric/);
  });
});
