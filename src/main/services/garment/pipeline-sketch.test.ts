import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkLauncher, InferenceWorker } from '../../workers';
import type { ModelSource, SessionLoadOptions, TensorMap } from '../../workers/protocol';
import { WorkerRuntime } from '../../workers/runtime';
import type { TaskContext } from '../../workers/task';
import { GarmentGenerator, type GarmentRequest } from './generator';
import type { GraphKey } from './graphs';
import { loadGarmentPack, type LoadedGarmentPack } from './pack';
import type { GarmentRun } from './pipeline';
import type { GarmentProgress } from './task';
import { Golden, maxAbsDiff } from './testing/golden';
import { goldenImage, goldenRequest, shareWithin, type GoldenCase } from './testing/golden-request';
import { packInWorker } from './testing/pack-in-worker';
import { editManifest, sketchTinyPack, TINY_PACK_DIR } from './testing/tiny-pack';
import { GARMENT_WORKER_TASK } from './worker-task';

// The sketch route (a sketchEncoder, and a UNet that takes sketchFeatures and sketchScale) on the tiny
// pack plus a random route whose 1x1 convolution is not zero, against tools/models/garment/goldens_sketch.py
// (the reference pipeline.py over the same files). Each variant runs at its manifest sketchScale.
interface SketchMeta {
  case: GoldenCase;
  runs: Record<'imageBiased' | 'textBiased', { alpha: number; sketchScale: number; timesteps: number[] }>;
}
const golden = new Golden<SketchMeta>('garment_sketch_pipeline');
const dir = sketchTinyPack();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const { pack, worker } = packInWorker(dir);
// The same tiny pack without the route.
const base = packInWorker(TINY_PACK_DIR);

function request(overrides: Partial<GarmentRequest> = {}): GarmentRequest {
  return goldenRequest(golden, { lineArt: goldenImage(golden, 'lineArt'), keepLatents: true, ...overrides });
}

describe('the sketch route against the Python reference', () => {
  let batched: GarmentRun;
  let sequential: GarmentRun;
  beforeAll(async () => {
    const generator = new GarmentGenerator(pack());
    batched = await generator.generate(request({ batched: true }));
    sequential = await generator.generate(request({ batched: false }));
  });

  it('loads the sketch encoder with the pack and takes each variant its manifest sketch scale', () => {
    expect(pack().hasGraph('sketchEncoder')).toBe(true);
    expect(Object.keys(pack().sessions)).toContain('sketchEncoder');
    expect(batched.timesteps).toEqual(golden.meta.runs.imageBiased.timesteps);
    expect(batched.variants.map((v) => v.sketchScale)).toEqual([golden.meta.runs.imageBiased.sketchScale, golden.meta.runs.textBiased.sketchScale]);
    expect(batched.variants.map((v) => v.sketchScale)).toEqual([1, 0.6]);
    expect(Math.abs(batched.variants[0]!.alpha - golden.meta.runs.imageBiased.alpha)).toBeLessThanOrEqual(1e-6);
  });

  it.each([
    ['imageBiased', 0],
    ['textBiased', 1],
  ] as const)('%s: latents within 1e-3 and the image within 1/255 on 99.9%% of pixels', (name, index) => {
    for (const run of [batched, sequential]) {
      const v = run.variants[index]!;
      expect(maxAbsDiff(v.latents[0]!, golden.float32(`${name}/latents_first`))).toBeLessThanOrEqual(1e-3);
      expect(maxAbsDiff(v.latents.at(-1)!, golden.float32(`${name}/latents_last`))).toBeLessThanOrEqual(1e-3);
      // The image is in [-1, 1]: 1/255 of the [0, 1] range is 2/255 here.
      expect(shareWithin(v.image.data, golden.float32(`${name}/image`), 2 / 255)).toBeGreaterThanOrEqual(0.999);
    }
  });

  it('at sketch scale 0 on both variants renders what the pack without the route renders', async () => {
    const off = await new GarmentGenerator(pack()).generate(request({ batched: true, sketchScale: { imageBiased: 0, textBiased: 0 } }));
    const plain = await new GarmentGenerator(base.pack()).generate(request({ batched: true }));
    expect(off.variants.map((v) => v.sketchScale)).toEqual([0, 0]);
    expect(plain.variants.map((v) => v.sketchScale)).toEqual([undefined, undefined]);
    for (let i = 0; i < 2; i++) {
      expect(maxAbsDiff(off.variants[i]!.latents.at(-1)!, plain.variants[i]!.latents.at(-1)!)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(off.variants[i]!.image.data, plain.variants[i]!.image.data)).toBeLessThanOrEqual(1e-5);
      // And the route is far from a no-op at the manifest's scales, so the parity above means something.
      expect(maxAbsDiff(off.variants[i]!.image.data, batched.variants[i]!.image.data)).toBeGreaterThan(0.1);
    }
  });

  it('refuses a sketch scale out of range, and one for a pack without the route', async () => {
    await expect(new GarmentGenerator(pack()).generate(request({ sketchScale: { textBiased: 2.5 } }))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'The sketch scale must be between 0 and 2, got 2.5.',
    });
    await expect(new GarmentGenerator(base.pack()).generate(request({ sketchScale: { imageBiased: 1 } }))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'The pack "jinxiu-garment-tiny-random" has no sketch encoder, so a sketch scale does not apply.',
    });
  });

  it('refuses a sketch encoder whose features do not fit the UNet, naming both', async () => {
    const broken = sketchTinyPack();
    try {
      // Each graph still matches its own file; only the pairing by role is wrong (8 channels into 4).
      editManifest(broken, (m) => {
        const inputs = m.garment.graphs['unet']!.inputs;
        [inputs['sketchFeatures'], inputs['sample']] = [inputs['sample']!, inputs['sketchFeatures']!];
      });
      await expect(loadGarmentPack(broken, worker)).rejects.toThrow(
        /sketch_encoder\.onnx: output 'sketch_features' \[\w+,8,\w+,\w+\] does not fit unet\.onnx: input 'sample' \[\w+,4,\w+,\w+\] \(sketchFeatures\)/,
      );
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });
});

describe('the sketch route in a staged pack', () => {
  const stagedWorker = new InferenceWorker({ launch: forkLauncher(), providers: () => ['cpu'] });
  let staged: LoadedGarmentPack;
  beforeAll(async () => {
    staged = await loadGarmentPack(dir, stagedWorker, { staged: true, intraOpNumThreads: 1 });
  });
  afterAll(async () => {
    await staged?.unload();
    await stagedWorker.shutdown();
  });

  it('runs the sketch encoder once, with the encoders, and releases it before the UNet loads', async () => {
    const runtime = new WorkerRuntime([GARMENT_WORKER_TASK]);
    const events: string[] = [];
    const keyOf = (id: string) => id.split(':').at(-1) as GraphKey;
    const context: TaskContext<GarmentProgress> = {
      session: () => {
        throw new Error('a staged pack reads its signatures from the ref');
      },
      load: async (id: string, model: ModelSource, options: SessionLoadOptions) => {
        events.push(`load ${keyOf(id)}`);
        return runtime.handle({ id: 1, kind: 'load', sessionId: id, model, options }) as never;
      },
      release: async (id: string) => {
        events.push(`release ${keyOf(id)}`);
        await runtime.handle({ id: 1, kind: 'release', sessionId: id });
      },
      run: (id: string, feeds: TensorMap, outputNames?: string[]) => {
        events.push(`run ${keyOf(id)}`);
        return runtime.handle({ id: 1, kind: 'run', sessionId: id, feeds, ...(outputNames ? { outputNames } : {}) }) as never;
      },
      progress: () => undefined,
      throwIfCancelled: () => undefined,
      sessionsStamp: 'recorded',
    };
    const prepared = new GarmentGenerator(staged).prepare(request({ batched: true }));
    const run = await GARMENT_WORKER_TASK.run({ packJson: JSON.stringify(staged.ref), request: prepared }, context);
    expect(events.filter((e) => e === 'run sketchEncoder')).toHaveLength(1);
    expect(events.indexOf('release sketchEncoder')).toBeGreaterThan(events.indexOf('run sketchEncoder'));
    expect(events.indexOf('release sketchEncoder')).toBeLessThan(events.indexOf('load unet'));
    expect(events.filter((e) => e === 'load sketchEncoder')).toHaveLength(1);
    for (const [i, name] of (['imageBiased', 'textBiased'] as const).entries()) {
      expect(shareWithin(run.variants[i]!.image.data, golden.float32(`${name}/image`), 2 / 255)).toBeGreaterThanOrEqual(0.999);
    }
  });
});
