import { AppError } from '../../../shared/contract';
import type { Crop } from '../../../shared/contract/swatches';
import { extract, fromRaw, toRaw, type RgbImage } from './raster';

/**
 * Size of the largest axis-aligned rectangle inside a w x h rectangle rotated by `deg`: the default crop
 * of a straightened photo, so no background corner ends up in the tile.
 */
export function largestInscribed(w: number, h: number, deg: number): { width: number; height: number } {
  const a = (Math.abs(deg) * Math.PI) / 180;
  const sin = Math.abs(Math.sin(a));
  const cos = Math.abs(Math.cos(a));
  if (sin < 1e-9) return { width: w, height: h };
  const widthLonger = w >= h;
  const long = widthLonger ? w : h;
  const short = widthLonger ? h : w;
  let wr: number;
  let hr: number;
  if (short <= 2 * sin * cos * long || Math.abs(sin - cos) < 1e-10) {
    const x = 0.5 * short;
    [wr, hr] = widthLonger ? [x / sin, x / cos] : [x / cos, x / sin];
  } else {
    const cos2 = cos * cos - sin * sin;
    wr = (w * cos - h * sin) / cos2;
    hr = (h * cos - w * sin) / cos2;
  }
  return { width: Math.floor(wr), height: Math.floor(hr) };
}

/**
 * Straightens the photo (positive angles turn it clockwise, as in sharp) and cuts the crop out of the
 * straightened photo. Without a crop, a straightened photo is cut to its largest clean rectangle.
 */
export async function straightenAndCrop(photo: RgbImage, rotateDeg: number, crop: Crop | null): Promise<{ image: RgbImage; crop: Crop }> {
  let straight = photo;
  if (rotateDeg !== 0) {
    straight = await toRaw(fromRaw(photo).rotate(rotateDeg, { background: '#ffffff' }));
  }
  let box: Crop;
  if (crop) {
    box = crop;
    if (box.left + box.width > straight.width || box.top + box.height > straight.height) {
      throw new AppError(
        'INVALID_INPUT',
        `The crop ${box.width}×${box.height} px at (${box.left}, ${box.top}) reaches outside the straightened photo (${straight.width}×${straight.height} px).`,
      );
    }
  } else if (rotateDeg !== 0) {
    // One pixel in from the edge: the rotation's antialiased border blends in background white.
    const inner = largestInscribed(photo.width, photo.height, rotateDeg);
    const width = Math.max(1, Math.min(straight.width, inner.width - 2));
    const height = Math.max(1, Math.min(straight.height, inner.height - 2));
    box = { left: Math.floor((straight.width - width) / 2), top: Math.floor((straight.height - height) / 2), width, height };
  } else {
    box = { left: 0, top: 0, width: straight.width, height: straight.height };
  }
  if (box.width < 8 || box.height < 8) {
    throw new AppError('INVALID_INPUT', `The crop is ${box.width}×${box.height} px; a swatch needs at least 8×8 px.`);
  }
  return { image: extract(straight, box.left, box.top, box.width, box.height), crop: box };
}
