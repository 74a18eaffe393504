import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { cropBoxes } from './index/crops';
import { cropWeights, dot } from './index/laclip';
import { MotifEncoder, readMotifModel } from './encoder';
import { decodeRgb, pixelBox, toPixels, type PixelSpec } from './preprocess';
import { InferenceWorker, forkLauncher } from '../../workers';
import { pilBicubicResize } from '../../../shared/motif/pil-bicubic';

// Reference: tools/models/motif/golden_graphs.py write_preprocess (PIL Image.resize(BICUBIC), numpy
// normalisation, onnxruntime in Python on the default pack), run as `python -m tools.models golden motif`.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const GOLDEN = path.join(ROOT, 'tools/models/motif/golden/motif-preprocess.json');
const PACK = path.join(ROOT, 'resources/models/motif-default');

interface Index {
  data: string;
  meta: { image: string; preprocess: PixelSpec; cropBoxes: Record<string, number[][]>; laclip: { tau: number }; pack: { id: string; version: string } };
  arrays: Record<string, { dtype: string; shape: number[]; offset: number; bytes: number }>;
}
const index = JSON.parse(fs.readFileSync(GOLDEN, 'utf8')) as Index;
const blob = fs.readFileSync(path.join(path.dirname(GOLDEN), index.data));
const array = (key: string) => {
  const a = index.arrays[key]!;
  return new Float32Array(new Uint8Array(blob.subarray(a.offset, a.offset + a.bytes)).buffer);
};
const image = fs.readFileSync(path.join(ROOT, index.meta.image));
const spec = index.meta.preprocess;
const pack = readMotifModel(PACK);
const packMatches = pack.id === index.meta.pack.id && pack.version === index.meta.pack.version;

const worst = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('image preprocessing against PIL (motif-preprocess golden)', () => {
  it('gives the reference tensor: PIL bicubic resize, Chinese-CLIP mean/std', async () => {
    const want = array('pixels');
    const got = toPixels(await decodeRgb(image), spec);
    expect(got).toHaveLength(want.length);
    // Bit-exact resampling: what is left is float32 rounding of the normalisation.
    expect(worst(got, want)).toBeLessThan(1e-6);
  });

  it('differs measurably from libvips cubic (why the TS resampler exists)', async () => {
    const s = spec.imageSize;
    const { data } = await sharp(image).resize(s, s, { fit: 'fill', kernel: 'cubic' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const viaSharp = toPixels({ width: s, height: s, channels: 3, data: new Uint8Array(data) }, spec);
    expect(worst(viaSharp, array('pixels'))).toBeGreaterThan(1e-2);
  });

  it('gives the reference crop boxes for every size', () => {
    for (const [size, boxes] of Object.entries(index.meta.cropBoxes)) {
      const [w, h] = size.split('x').map(Number);
      expect(cropBoxes(w!, h!, pack.spec.laclip.crops)).toEqual(boxes);
    }
  });

  it('keeps an upscale and a one-axis resize in range and leaves a same-size image as it is', () => {
    const src = { width: 3, height: 2, channels: 3, data: Uint8Array.from({ length: 18 }, (_, i) => (i * 47) % 256) };
    expect(pilBicubicResize(src, 3, 2).data).toEqual(src.data);
    const up = pilBicubicResize(src, 7, 5);
    expect(up.data).toHaveLength(7 * 5 * 3);
    expect(pilBicubicResize(src, 3, 9).width).toBe(3);
  });

  it('turns a normalised region into whole pixels and refuses one outside 0..1 or empty', () => {
    expect(pixelBox([0.25, 0.5, 0.75, 1], 200, 100)).toEqual([50, 50, 150, 100]);
    expect(pixelBox([0.999, 0.999, 1, 1], 10, 10)).toEqual([9, 9, 10, 10]);
    expect(() => pixelBox([0.5, 0, 0.5, 1], 10, 10)).toThrow(/left < right/);
    expect(() => pixelBox([-0.1, 0, 0.5, 1], 10, 10)).toThrow(/0 <= left/);
  });

  it('says an unreadable image is one', async () => {
    await expect(decodeRgb(Buffer.from('not an image'))).rejects.toThrow(/cannot be read/);
  });
});

describe.runIf(packMatches)('image embeddings against the reference (default motif pack)', () => {
  const worker = new InferenceWorker({ launch: forkLauncher(), providers: () => ['cpu'] });
  const encoder = new MotifEncoder(worker, pack);
  afterAll(() => worker.shutdown());

  it('gives the reference global and crop embeddings and crop weights within 1e-3', async () => {
    const e = await encoder.encodeImage(image);
    const g = array('global');
    const crops = array('crops');
    const unit = (v: Float32Array) => {
      const n = Math.sqrt(dot(v, v));
      return v.map((x) => x / n);
    };
    // The golden holds the graph's raw output; the encoder returns unit vectors.
    expect(worst(e.global, unit(g))).toBeLessThan(1e-3);
    const d = g.length;
    e.crops.forEach((v, j) => expect(worst(v, unit(crops.subarray(j * d, (j + 1) * d)))).toBeLessThan(1e-3));
    expect(worst(cropWeights(e.global, e.crops, index.meta.laclip.tau), array('weights'))).toBeLessThan(1e-3);
  });
});
