import { describe, expect, it } from 'vitest';
import { deltaE76, hexToLab } from '../../../shared/fabric';
import { dominantColours } from './colours';
import { readSwatchPhoto } from './decode';
import { largestInscribed, straightenAndCrop } from './geometry';
import { rgbImage, type RgbImage } from './raster';
import { mirrorTile, offsetBlendTile, repeatPreview, seamRatio } from './tile';
import { testFixture } from '../../test-fixtures';

const TILES = testFixture('textile_tiles', 'images');

/** Uneven lighting, as on a swatch photographed beside a window: the usual reason a crop does not tile. */
function unevenlyLit(img: RgbImage): RgbImage {
  const out = { ...img, data: Buffer.from(img.data) };
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const k = 0.6 + 0.4 * (x / img.width) * (0.5 + (0.5 * y) / img.height);
      for (let c = 0; c < 3; c++) out.data[(y * img.width + x) * 3 + c] = Math.round(img.data[(y * img.width + x) * 3 + c]! * k);
    }
  }
  return out;
}

function solid(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): RgbImage {
  const img = rgbImage(width, height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) img.data.set(paint(x, y), (y * width + x) * 3);
  return img;
}

describe('seamless tiles from real fabric tiles', () => {
  it.each(['linen', 'tweed', 'pinstriped_suit', 'dark_leather', 'knitting250px', 'blu_stripes'])(
    'offset-and-blend hides the seams of an unevenly lit crop of %s',
    async (name) => {
      const photo = await readSwatchPhoto(`${TILES}/${name}.png`);
      const lit = unevenlyLit(photo.image);
      const before = seamRatio(lit);
      const after = seamRatio(offsetBlendTile(lit));
      expect(before).toBeGreaterThan(1.4);
      expect(after).toBeLessThan(1.2);
      expect(after).toBeLessThan(before);
    },
  );

  it('keeps the middle of the crop untouched and the size unchanged', async () => {
    const photo = await readSwatchPhoto(`${TILES}/linen.png`);
    const tile = offsetBlendTile(photo.image);
    expect([tile.width, tile.height]).toEqual([photo.image.width, photo.image.height]);
    const at = (img: RgbImage, x: number, y: number) => [...img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3)];
    const cx = Math.floor(photo.image.width / 2);
    const cy = Math.floor(photo.image.height / 2);
    expect(at(tile, cx, cy)).toEqual(at(photo.image, cx, cy));
  });

  it('mirror tiles are twice the size and wrap without any step', async () => {
    const photo = await readSwatchPhoto(`${TILES}/tweed.png`);
    const tile = mirrorTile(unevenlyLit(photo.image));
    expect([tile.width, tile.height]).toEqual([photo.image.width * 2, photo.image.height * 2]);
    expect(seamRatio(tile)).toBe(0);
  });

  it('repeats the tile 3 x 3 for the preview', () => {
    const tile = solid(5, 4, (x, y) => [x * 40, y * 60, 7]);
    const preview = repeatPreview(tile, 3);
    expect([preview.width, preview.height]).toEqual([15, 12]);
    for (const [x, y] of [[0, 0], [7, 5], [14, 11]] as const) {
      const i = (y * 15 + x) * 3;
      expect([...preview.data.subarray(i, i + 3)]).toEqual([(x % 5) * 40, (y % 4) * 60, 7]);
    }
  });
});

describe('straightening and cropping', () => {
  it('finds the largest clean rectangle of a rotated photo', () => {
    // A square turned 45 degrees holds a square of side s / sqrt(2).
    expect(largestInscribed(200, 200, 45)).toEqual({ width: 141, height: 141 });
    expect(largestInscribed(400, 300, 0)).toEqual({ width: 400, height: 300 });
    const r = largestInscribed(400, 300, 7);
    expect(r.width).toBeLessThan(400);
    expect(r.height).toBeLessThan(300);
  });

  it('leaves no background corner in a straightened, default-cropped photo', async () => {
    // A photo with no white pixels: any white in the result would be rotation background.
    const photo = solid(120, 90, (x, y) => [40 + (x % 50), 60, 80 + (y % 30)]);
    const { image, crop } = await straightenAndCrop(photo, 10, null);
    expect(crop.width).toBeLessThan(120);
    for (let i = 0; i < image.data.length; i += 3) expect(image.data[i + 1]).toBeLessThan(120);
  });

  it('refuses a crop outside the straightened photo', async () => {
    const photo = solid(50, 40, () => [1, 2, 3]);
    await expect(straightenAndCrop(photo, 0, { left: 30, top: 0, width: 30, height: 20 })).rejects.toThrow(/reaches outside/);
  });
});

describe('dominant colours', () => {
  it('finds the two colours of a two-colour cloth and their shares', async () => {
    // 70 % navy warp stripes, 30 % beige weft stripes.
    const img = solid(100, 100, (x) => (x % 10 < 7 ? [0x1f, 0x2a, 0x44] : [0xd9, 0xc8, 0xa9]));
    const colours = await dominantColours(img);
    expect(colours).toHaveLength(2);
    expect(colours[0]!.share).toBeCloseTo(0.7, 1);
    expect(colours[0]!.colour).toBe('navy');
    expect(deltaE76(hexToLab(colours[0]!.hex), hexToLab('#1F2A44'))).toBeLessThan(3);
    expect(colours[1]!.colour).toBe('beige');
  });

  it('is deterministic on a real tile and names black denim black', async () => {
    const photo = await readSwatchPhoto(`${TILES}/black_denim.png`);
    const first = await dominantColours(photo.image);
    expect(await dominantColours(photo.image)).toEqual(first);
    expect(first[0]!.colour).toBe('black');
    expect(first.reduce((n, c) => n + c.share, 0)).toBeCloseTo(1, 2);
  });
});
