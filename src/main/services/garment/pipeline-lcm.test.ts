import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleFixture, MODEL_FIXTURES } from '../models/assembly/test-fixture-packs';
import { tempDir } from '../models/assembly/test-kit';
import { GarmentGenerator } from './generator';
import { GaussianNoise } from './noise';
import { GarmentPipeline, type GarmentRun } from './pipeline';
import { Golden, maxAbsDiff } from './testing/golden';
import { goldenImage, goldenRequest, shareWithin, type GoldenCase } from './testing/golden-request';
import { packInWorker } from './testing/pack-in-worker';

// The tiny sd15-garment-lcm pack as the app assembles it from the committed fixture, generating both
// variants in one UNet batch with its LCM scheduler at guidance 1, against pipeline.py over the Python
// converter's pack of the same weights (tools/models/recipes/fixture_goldens.py). Python draws the
// studio's own step noise (a port of noise.ts), so the runs are comparable step for step.
interface LcmMeta {
  case: GoldenCase;
  runs: Record<'imageBiased' | 'textBiased', { alpha: number; timesteps: number[] }>;
}
const golden = new Golden<LcmMeta>('golden', path.join(MODEL_FIXTURES, 'tiny-sd15-garment-lcm'));
const root = tempDir('jinxiu-lcm-pipeline-');
const packDir = path.join(root, 'sd15-garment-lcm');

// Registered before packInWorker's own beforeAll, so the pack exists when the worker loads it.
beforeAll(async () => {
  await assembleFixture(root, 'sd15-garment-lcm');
});
const { pack } = packInWorker(packDir);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('LCM pack assembled from the recipe, generating against the Python reference pipeline', () => {
  let run: GarmentRun;
  beforeAll(async () => {
    run = await new GarmentGenerator(pack()).generate(goldenRequest(golden, { lineArt: goldenImage(golden, 'lineArt'), batched: true, keepLatents: true }));
  });

  it('runs the LCM timesteps with both variants in one batch, at the golden alphas', () => {
    expect(golden.meta.case.guidanceScale).toBe(1);
    expect(run.batched).toBe(true);
    expect(run.timesteps).toEqual(golden.meta.runs.imageBiased.timesteps);
    expect(run.variants.map((v) => [v.name, v.alpha])).toEqual([
      ['imageBiased', golden.meta.runs.imageBiased.alpha],
      ['textBiased', golden.meta.runs.textBiased.alpha],
    ]);
  });

  it('draws the step noise the reference was given', () => {
    const size = golden.float32('noise').length;
    expect(maxAbsDiff(new GaussianNoise(golden.meta.case.seed).sample(2 * size), golden.float32('stepNoise'))).toBeLessThanOrEqual(1e-6);
  });

  it.each([
    ['imageBiased', 0],
    ['textBiased', 1],
  ] as const)('%s: last latents within 1e-3 and the image within 1/255 on 99.9%% of pixels', (variant, index) => {
    const v = run.variants[index]!;
    expect(v.name).toBe(variant);
    expect(maxAbsDiff(v.latents.at(-1)!, golden.float32(`${variant}/latents_last`))).toBeLessThanOrEqual(1e-3);
    // The image is in [-1, 1]: 1/255 of the [0, 1] range is 2/255 here.
    expect(shareWithin(v.image.data, golden.float32(`${variant}/image`), 2 / 255)).toBeGreaterThanOrEqual(0.999);
  });

  it('runs one UNet row per variant at guidance 1: both variants are one batch of 2', async () => {
    const rows: number[] = [];
    const graphs = pack();
    // Counts the UNet's batch rows on the real sessions; every other member is the pack's own.
    const counted = new Proxy(graphs, {
      get(target, prop) {
        if (prop === 'run') {
          return (role: string, feeds: Record<string, { dims: readonly number[] }>) => {
            if (role === 'unet') rows.push(feeds['sample']!.dims[0]!);
            return target.run(role as never, feeds as never);
          };
        }
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    // The pipeline runs here over the main side's sessions (one IPC round trip per graph run), so the
    // UNet's feeds can be seen; the request is prepared as the generator prepares it for the worker.
    const again = await new GarmentPipeline(counted).generate(new GarmentGenerator(graphs).prepare(goldenRequest(golden, { lineArt: goldenImage(golden, 'lineArt'), batched: true })));
    expect(rows).toEqual(again.timesteps.map(() => 2));
    expect(maxAbsDiff(again.variants[1]!.image.data, run.variants[1]!.image.data)).toBeLessThanOrEqual(1e-5);
  });

  it('is not the reference by accident: the other variant is far from it', () => {
    expect(maxAbsDiff(run.variants[0]!.image.data, golden.float32('textBiased/image'))).toBeGreaterThan(2 / 255);
  });
});
