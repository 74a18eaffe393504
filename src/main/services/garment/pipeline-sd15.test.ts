import { beforeAll, describe, expect, it } from 'vitest';
import { fitLineArt } from './preprocess';
import { GarmentGenerator, type GarmentRequest } from './generator';
import type { GarmentRun } from './pipeline';
import { Golden, maxAbsDiff } from './testing/golden';
import { goldenImage, goldenRequest, shareWithin, type GoldenCase } from './testing/golden-request';
import { packInWorker } from './testing/pack-in-worker';
import { SD15_TINY_PACK_DIR } from './testing/tiny-pack';

// SD 1.5 + IP-Adapter + line-art ControlNet: tiny random checkpoints in the official layouts, turned
// into a pack by `convert sd15-ipadapter`, and whole runs of the reference pipeline over it
// (tools/models/garment/goldens_sd15.py, pipeline.py: onnxruntime on CPU, diffusers' DDIM). "plain"
// runs the ControlNet at scale 0 (zero residuals: the plain IP-Adapter UNet), "lineart" at the
// pack's default scale, with the flat drawn at the output size as the conditioning image.
type ControlRun = 'plain' | 'lineart';
interface Sd15Meta {
  case: GoldenCase;
  runs: Record<`${ControlRun}/${'imageBiased' | 'textBiased'}`, { alpha: number; controlScale: number; timesteps: number[]; middleStep: number }>;
}
const golden = new Golden<Sd15Meta>('garment_sd15_pipeline');

const { pack } = packInWorker(SD15_TINY_PACK_DIR);

function request(overrides: Partial<GarmentRequest> = {}): GarmentRequest {
  return goldenRequest(golden, { lineArt: goldenImage(golden, 'lineArt'), keepLatents: true, ...overrides });
}

const SCALES: Record<ControlRun, number | undefined> = { plain: 0, lineart: undefined };

describe('SD 1.5 + IP-Adapter + ControlNet pack against the Python reference', () => {
  const runs = {} as Record<ControlRun, GarmentRun>;
  let sequential: GarmentRun;
  beforeAll(async () => {
    const generator = new GarmentGenerator(pack());
    for (const control of ['plain', 'lineart'] as const) {
      const scale = SCALES[control];
      runs[control] = await generator.generate(request({ batched: true, ...(scale !== undefined ? { controlScale: scale } : {}) }));
    }
    sequential = await generator.generate(request({ batched: false }));
  });

  it('loads the ControlNet as one more checked session, with the fixed image-prompt scale as alpha', () => {
    expect(Object.keys(pack().sessions).sort()).toEqual(['controlnet', 'imageEncoder', 'imageProjection', 'textEncoder', 'unet', 'vaeDecoder']);
    expect(pack().garment.architecture).toBe('sd15-ip-adapter');
    expect(golden.meta.runs['lineart/imageBiased'].controlScale).toBe(pack().garment.defaults.controlScale);
    for (const control of ['plain', 'lineart'] as const) {
      expect(runs[control].timesteps).toEqual(golden.meta.runs[`${control}/imageBiased`].timesteps);
      expect(runs[control].variants.map((v) => v.alpha)).toEqual([golden.meta.runs[`${control}/imageBiased`].alpha, golden.meta.runs[`${control}/textBiased`].alpha]);
    }
  });

  it.each([
    ['plain', 'imageBiased', 0],
    ['plain', 'textBiased', 1],
    ['lineart', 'imageBiased', 0],
    ['lineart', 'textBiased', 1],
  ] as const)('%s, %s: latents within 1e-3 and the image within 1/255 on 99.9%% of pixels', (control, variant, index) => {
    const v = runs[control].variants[index]!;
    const key = `${control}/${variant}` as const;
    const middle = golden.meta.runs[key].middleStep;
    expect(v.name).toBe(variant);
    expect(maxAbsDiff(v.latents[0]!, golden.float32(`${key}/latents_first`))).toBeLessThanOrEqual(1e-3);
    expect(maxAbsDiff(v.latents[middle]!, golden.float32(`${key}/latents_middle`))).toBeLessThanOrEqual(1e-3);
    expect(maxAbsDiff(v.latents.at(-1)!, golden.float32(`${key}/latents_last`))).toBeLessThanOrEqual(1e-3);
    // The image is in [-1, 1]: 1/255 of the [0, 1] range is 2/255 here.
    expect(shareWithin(v.image.data, golden.float32(`${key}/image`), 2 / 255)).toBeGreaterThanOrEqual(0.999);
  });

  it('gives the same result with the ControlNet batched and sequential, within 1e-4', () => {
    expect(runs.lineart.batched).toBe(true);
    expect(sequential.batched).toBe(false);
    for (let i = 0; i < 2; i++) {
      expect(maxAbsDiff(runs.lineart.variants[i]!.latents.at(-1)!, sequential.variants[i]!.latents.at(-1)!)).toBeLessThanOrEqual(1e-4);
      expect(maxAbsDiff(runs.lineart.variants[i]!.image.data, sequential.variants[i]!.image.data)).toBeLessThanOrEqual(1e-4);
    }
  });

  it('feeds the line art given, and the sketch stretched to the output size when none is', async () => {
    const generator = new GarmentGenerator(pack());
    const control = pack().garment.preprocess.control!;
    const { width, height } = pack().garment.defaults;
    const last = (r: GarmentRun) => r.variants[0]!.latents.at(-1)!;
    const fromSketch = await generator.generate(request({ lineArt: undefined, steps: 2 }));
    const stretched = await generator.generate(request({ lineArt: await fitLineArt(goldenImage(golden, 'sketch'), control, width, height), steps: 2 }));
    expect(maxAbsDiff(last(fromSketch), last(stretched))).toBe(0);
    // Blank paper instead of the flat: the ControlNet sees the difference, far beyond the parity tolerance.
    const blank = await generator.generate(request({ lineArt: { width, height, data: new Uint8Array(width * height * 3).fill(255) }, steps: 2 }));
    const flat = await generator.generate(request({ steps: 2 }));
    expect(maxAbsDiff(last(blank), last(flat))).toBeGreaterThan(1e-2);
  });

  it('refuses a control scale outside 0..2 before any step runs', async () => {
    const generator = new GarmentGenerator(pack());
    const steps: number[] = [];
    await expect(generator.generate(request({ controlScale: 2.5 }), { onStep: (s) => steps.push(s) })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'The control scale must be between 0 and 2, got 2.5.',
    });
    expect(steps).toEqual([]);
  });
});
