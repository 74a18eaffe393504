import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cropBoxes, DEFAULT_CROPS, type CropScheme } from './crops';

// Boxes the motif pack's Python reference computed (tools/models/motif/data.py crop_boxes, written by
// its golden script into motif-preprocess.json with the scheme it used).
const GOLDEN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../tools/models/motif/golden/motif-preprocess.json');

describe.runIf(fs.existsSync(GOLDEN))('cropBoxes against the motif pack reference', () => {
  const meta = (JSON.parse(fs.readFileSync(GOLDEN, 'utf8')) as { meta: { laclip: { crops: CropScheme }; cropBoxes: Record<string, number[][]> } }).meta;

  it('uses the same scheme as the pack', () => {
    expect(meta.laclip.crops).toEqual(DEFAULT_CROPS);
  });

  it.each(Object.keys(meta.cropBoxes))('gives the reference boxes for %s', (size) => {
    const [w, h] = size.split('x').map(Number);
    expect(cropBoxes(w!, h!, meta.laclip.crops)).toEqual(meta.cropBoxes[size]);
  });
});

describe('cropBoxes', () => {
  it('tiles the image exactly and centres the last box', () => {
    const boxes = cropBoxes(1001, 751, { scheme: 'grid+center', grid: [3, 2], centerScale: 0.4 });
    expect(boxes).toHaveLength(7);
    const area = boxes.slice(0, 6).reduce((a, [l, t, r, b]) => a + (r - l) * (b - t), 0);
    expect(area).toBe(1001 * 751);
    const [l, t, r, b] = boxes[6]!;
    expect(Math.abs(l - (1001 - r))).toBeLessThanOrEqual(1);
    expect(Math.abs(t - (751 - b))).toBeLessThanOrEqual(1);
  });

  it('refuses an empty image or a bad scheme', () => {
    expect(() => cropBoxes(0, 10)).toThrow(/cannot be cropped/);
    expect(() => cropBoxes(10, 10, { scheme: 'grid+center', grid: [0, 2], centerScale: 0.5 })).toThrow(/crop scheme/);
  });
});
