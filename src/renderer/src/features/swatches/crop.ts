import type { Crop } from '../../../../shared/contract';

/** A crop as the technician types it: edges and size in % of the straightened photo. */
export interface PercentCrop {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Size of the photo once straightened: main turns it about its centre on a canvas that holds all of it,
 * so the canvas grows with the angle. Rounded down, so a crop made from it never reaches outside.
 */
export function straightenedSize(width: number, height: number, rotateDeg: number): { width: number; height: number } {
  const rad = (Math.abs(rotateDeg) * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  return { width: Math.floor(width * cos + height * sin), height: Math.floor(width * sin + height * cos) };
}

/**
 * Maps a % crop to the pixel crop main takes (CropSchema: whole pixels, at least 8 px a side). Returns
 * null when every field is empty (no crop), or a message key when the fields do not make a crop.
 */
export function percentToCrop(
  fields: { left: string; top: string; width: string; height: string },
  photo: { width: number; height: number } | null,
  rotateDeg: number,
): { crop: Crop | null } | { error: 'cropNumbers' | 'cropOutside' | 'cropNeedsSize' } {
  const texts = [fields.left, fields.top, fields.width, fields.height];
  if (texts.every((t) => t.trim() === '')) return { crop: null };
  if (!photo) return { error: 'cropNeedsSize' };
  const num = (t: string) => (t.trim() === '' ? NaN : Number(t.replace(',', '.')));
  const left = num(fields.left);
  const top = num(fields.top);
  const width = num(fields.width);
  const height = num(fields.height);
  if (![left, top, width, height].every((n) => Number.isFinite(n) && n >= 0)) return { error: 'cropNumbers' };
  if (width <= 0 || height <= 0 || left + width > 100 || top + height > 100) return { error: 'cropOutside' };
  const size = straightenedSize(photo.width, photo.height, rotateDeg);
  const crop: Crop = {
    left: Math.floor((size.width * left) / 100),
    top: Math.floor((size.height * top) / 100),
    width: Math.floor((size.width * width) / 100),
    height: Math.floor((size.height * height) / 100),
  };
  if (crop.width < 8 || crop.height < 8) return { error: 'cropOutside' };
  return { crop };
}
