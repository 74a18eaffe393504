import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkLauncher, InferenceWorker } from '../../workers';
import type { ModelSource, SessionLoadOptions, TensorMap } from '../../workers/protocol';
import { WorkerRuntime } from '../../workers/runtime';
import type { TaskContext } from '../../workers/task';
import { GarmentGenerator, type GarmentRequest } from './generator';
import { loadGarmentPack, type LoadedGarmentPack } from './pack';
import type { GraphKey } from './graphs';
import type { GarmentProgress } from './task';
import { Golden, maxAbsDiff } from './testing/golden';
import { goldenImage, goldenRequest } from './testing/golden-request';
import { assembleRecipePack } from './testing/img2img';
import { GARMENT_WORKER_TASK } from './worker-task';

// Staged loading (a real-size pack on a CPU): the encoders, the denoising loop and the VAE decoder
// each load, run and are released in turn, on the tiny sd15-garment recipe (ControlNet and VAE
// encoder included) assembled by the app.
const golden = new Golden<{ case: { prompt: string; steps: number; guidanceScale: number; seed: number; strength: number } }>('garment_sd15_img2img');

const worker = new InferenceWorker({ launch: forkLauncher(), providers: () => ['cpu'] });
let dir: string;
let whole: LoadedGarmentPack;
let staged: LoadedGarmentPack;

beforeAll(async () => {
  dir = await assembleRecipePack();
  // One thread for both, so the two loads compute in the same order and agree to the bit.
  staged = await loadGarmentPack(dir, worker, { staged: true, intraOpNumThreads: 1 });
  whole = await loadGarmentPack(dir, worker, { intraOpNumThreads: 1 });
});

afterAll(async () => {
  await whole?.unload();
  await staged?.unload();
  await worker.shutdown();
  if (dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

function request(overrides: Partial<GarmentRequest> = {}): GarmentRequest {
  return goldenRequest(golden, {
    lineArt: goldenImage(golden, 'lineArt'),
    init: { image: goldenImage(golden, 'colorway'), strength: golden.meta.case.strength },
    steps: 4,
    ...overrides,
  });
}

const STAGE: Record<GraphKey, number> = { textEncoder: 0, imageEncoder: 0, imageProjection: 0, fabricFusion: 0, vaeEncoder: 0, sketchEncoder: 0, controlnet: 1, unet: 1, vaeDecoder: 2 };

describe('a staged garment pack', () => {
  it('checks every graph at load, VAE encoder included, and leaves no session behind', async () => {
    expect(Object.keys(staged.sessions).sort()).toEqual(['controlnet', 'imageEncoder', 'imageProjection', 'textEncoder', 'unet', 'vaeDecoder', 'vaeEncoder']);
    expect(staged.sessionIds).toEqual({});
    expect(staged.staged?.options).toMatchObject({ cpuMemArena: false, graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
    const loaded = (await worker.ping()).sessions;
    expect(loaded.filter((id) => !Object.values(whole.sessionIds).includes(id))).toEqual([]);
  });

  it('renders what the whole pack renders (image-to-image and text-to-image), loading in the task and keeping nothing', async () => {
    for (const overrides of [{}, { init: undefined }] as Partial<GarmentRequest>[]) {
      const { run, timings } = await new GarmentGenerator(staged).generateTimed(request(overrides));
      const reference = await new GarmentGenerator(whole).generateTimed(request(overrides));
      expect(run.timesteps).toEqual(reference.run.timesteps);
      for (let i = 0; i < 2; i++) expect(maxAbsDiff(run.variants[i]!.image.data, reference.run.variants[i]!.image.data)).toBe(0);
      expect(timings.loadMs).toBeGreaterThan(0);
      expect(reference.timings.loadMs).toBe(0);
      expect((await worker.ping()).sessions.filter((id) => id.startsWith('garment-staged'))).toEqual([]);
    }
  });

  it('holds one stage at a time: encoders, then UNet and ControlNet, then the VAE decoder, all released at the end', async () => {
    // The task in this process over a runtime of its own, with every load and release recorded.
    const runtime = new WorkerRuntime([GARMENT_WORKER_TASK]);
    const events: string[] = [];
    const held = new Set<string>();
    let mixed = false;
    const keyOf = (id: string) => id.split(':').at(-1) as GraphKey;
    const context: TaskContext<GarmentProgress> = {
      session: () => {
        throw new Error('a staged pack reads its signatures from the ref');
      },
      load: async (id: string, model: ModelSource, options: SessionLoadOptions) => {
        held.add(id);
        if (new Set([...held].map((h) => STAGE[keyOf(h)])).size > 1) mixed = true;
        events.push(`load ${keyOf(id)}`);
        return runtime.handle({ id: 1, kind: 'load', sessionId: id, model, options }) as never;
      },
      release: async (id: string) => {
        held.delete(id);
        events.push(`release ${keyOf(id)}`);
        await runtime.handle({ id: 1, kind: 'release', sessionId: id });
      },
      run: (id: string, feeds: TensorMap, outputNames?: string[]) => runtime.handle({ id: 1, kind: 'run', sessionId: id, feeds, ...(outputNames ? { outputNames } : {}) }) as never,
      progress: () => undefined,
      throwIfCancelled: () => undefined,
      sessionsStamp: 'recorded',
    };
    const prepared = new GarmentGenerator(staged).prepare(request({ init: { image: goldenImage(golden, 'colorway'), strength: golden.meta.case.strength } }));
    // prepare() leaves the init image at the sketch's size; the generator fits it first, as here.
    const run = await GARMENT_WORKER_TASK.run({ packJson: JSON.stringify(staged.ref), request: await fitted(prepared) }, context);
    expect(run.variants).toHaveLength(2);
    expect(mixed).toBe(false);
    expect(held.size).toBe(0);
    const loads = events.filter((e) => e.startsWith('load')).map((e) => STAGE[e.slice(5) as GraphKey]);
    expect(loads).toEqual([...loads].sort());
    expect(events.filter((e) => e.startsWith('load')).map((e) => e.slice(5)).sort()).toEqual(
      ['controlnet', 'imageEncoder', 'imageProjection', 'textEncoder', 'unet', 'vaeDecoder', 'vaeEncoder'],
    );
    expect((await runtime.handle({ id: 1, kind: 'ping' }) as { sessions: string[] }).sessions).toEqual([]);
  });
});

/** The request as generateTimed sends it: the init image fitted to the pack's output size. */
async function fitted(prepared: ReturnType<GarmentGenerator['prepare']>): Promise<ReturnType<GarmentGenerator['prepare']>> {
  const { fitInitImage } = await import('./preprocess');
  const { initPixels } = await import('./init-image');
  const { width, height } = staged.garment.defaults;
  const image = await fitInitImage(goldenImage(golden, 'colorway'), width, height);
  return { ...prepared, init: { image: initPixels(image), strength: golden.meta.case.strength } };
}
