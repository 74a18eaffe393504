import fs from 'node:fs';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { forkLauncher, InferenceWorker } from '../../workers';
import { controlImage, type ControlPreprocess } from './controlnet';
import { fitLineArt } from './preprocess';
import { loadGarmentPack } from './pack';
import { Golden, maxAbsDiff } from './testing/golden';
import { goldenImage } from './testing/golden-request';
import { copyTinyPack, editManifest, SD15_TINY_PACK_DIR } from './testing/tiny-pack';

// The line art's way into a ControlNet, and what loading checks about a pack's ControlNet. The
// reference arrays come from tools/models/garment/goldens_sd15.py (preprocess_control in pipeline.py).
const golden = new Golden('garment_sd15_pipeline');
const SPEC: ControlPreprocess = { kind: 'lineart', invert: true, channels: 'RGB', layout: 'NCHW', rescale: 1 / 255, resize: 'stretch', interpolation: 'bilinear' };

const worker = new InferenceWorker({ launch: forkLauncher(), providers: () => ['cpu'] });
const temps: string[] = [];
afterAll(async () => {
  await worker.shutdown();
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

describe('line art to the conditioning image', () => {
  it('matches the reference bit for bit: rescaled, inverted to white lines on black, NCHW', () => {
    const art = goldenImage(golden, 'lineArt');
    const image = controlImage(art, SPEC, art.width, art.height);
    expect(image.dims).toEqual([1, 3, art.height, art.width]);
    expect(maxAbsDiff(image.data, golden.float32('controlImage'))).toBe(0);
    // Paper (255) is 0, ink (20) is near 1.
    expect(image.data[0]).toBe(0);
    expect(Math.max(...image.data)).toBeCloseTo(1 - 20 / 255, 6);
  });

  it('keeps dark lines dark when the pack does not invert', () => {
    const image = controlImage({ width: 1, height: 1, data: Uint8Array.from([255, 0, 51]) }, { ...SPEC, invert: false }, 1, 1);
    expect(Array.from(image.data)).toEqual([1, 0, Math.fround(Math.fround(51) * Math.fround(1 / 255))]);
  });

  it('refuses line art at another size, naming both', () => {
    expect(() => controlImage({ width: 2, height: 3, data: new Uint8Array(18) }, SPEC, 64, 64)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: "The line art is 2x3; this pack's ControlNet takes 64x64." }),
    );
  });

  it('stretches art of another size or shape to the output size and passes art at the size untouched', async () => {
    const art = goldenImage(golden, 'lineArt');
    expect(await fitLineArt(art, SPEC, art.width, art.height)).toBe(art);
    const wide = await fitLineArt(goldenImage(golden, 'sketch'), SPEC, 48, 24);
    expect([wide.width, wide.height, wide.data.length]).toEqual([48, 24, 48 * 24 * 3]);
    // A clear PNG lands on white paper, as a flat does.
    const clear = await sharp({ create: { width: 2, height: 2, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const fromPng = await fitLineArt(clear, SPEC, 4, 4);
    expect(Array.from(fromPng.data)).toEqual(new Array(48).fill(255));
  });

  it('names an unreadable image', async () => {
    await expect(fitLineArt(Buffer.from('not an image'), SPEC, 8, 8)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^The line art could not be read as an image: /),
    });
  });
});

describe('loading a pack with a ControlNet', () => {
  function brokenCopy(): string {
    const dir = copyTinyPack(SD15_TINY_PACK_DIR);
    temps.push(dir);
    return dir;
  }

  it("checks the ControlNet's signature like every other graph's", async () => {
    const dir = brokenCopy();
    editManifest(dir, (m) => {
      m.garment.graphs['controlnet']!.inputs['controlImage']!.name = 'image';
    });
    await expect(loadGarmentPack(dir, worker)).rejects.toThrow(
      /controlnet\.onnx: has no input 'image' .*controlnet\.onnx: input 'controlnet_cond' .* is not in the manifest/,
    );
    expect((await worker.ping()).sessions.filter((s) => s.startsWith('garment:'))).toEqual([]);
  });

  it('names a residual paired with a UNet input of another width', async () => {
    const dir = brokenCopy();
    // Each graph still matches its own file; only the pairing by role is wrong (8 channels into 16).
    editManifest(dir, (m) => {
      const inputs = m.garment.graphs['unet']!.inputs;
      [inputs['controlDown0'], inputs['controlDown3']] = [inputs['controlDown3']!, inputs['controlDown0']!];
    });
    await expect(loadGarmentPack(dir, worker)).rejects.toThrow(
      /controlnet\.onnx: output 'down_block_res_0' \[\w+,8,\w+,\w+\] does not fit unet\.onnx: input 'down_block_res_3' \[\w+,16,\w+,\w+\] \(controlDown0\)/,
    );
  });
});
