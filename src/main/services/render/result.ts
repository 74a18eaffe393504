import type { ColorwayResult } from '../../../shared/contract/render';
import type { FileStore } from '../library';
import type { Colorway } from './colorway';

/** A colorway as the contract answers it: stored in the library's file store, or the bytes themselves. */
export async function colorwayResult(colorway: Colorway, as: 'file' | 'bytes', files: Pick<FileStore, 'put'>): Promise<ColorwayResult> {
  const { width, height, pxPerCm } = colorway;
  if (as === 'bytes') return { sha256: null, pngBase64: colorway.png.toString('base64'), width, height, pxPerCm };
  const { sha256 } = await files.put(colorway.png, 'image/png');
  return { sha256, pngBase64: null, width, height, pxPerCm };
}
