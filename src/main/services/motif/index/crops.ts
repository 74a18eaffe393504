import { AppError } from '../../../../shared/contract';

/**
 * The crops a motif image is encoded as, besides the whole image: LACLIP's local views.
 *
 * Scheme "grid+center", the default motif pack's (tools/models/motif/data.py crop_boxes): a rows x
 * cols grid of tiles that cover the image without overlap (edges by integer division, so the tiles
 * meet exactly), then one centred box of centerScale of each side, which overlaps all four tiles of a
 * 2x2 grid by a quarter each, so a motif sitting across the middle, where tiles cut it, is still seen
 * whole. With the default 2x2 grid and 0.5 scale that is 5 crops, each at half the image's width and
 * height: large enough to hold a whole repeat of most textile motifs, small enough that one repeat
 * dominates the crop's embedding.
 */
export interface CropScheme {
  scheme: 'grid+center';
  grid: [rows: number, cols: number];
  centerScale: number;
}

export const DEFAULT_CROPS: CropScheme = { scheme: 'grid+center', grid: [2, 2], centerScale: 0.5 };

/** [left, top, right, bottom) boxes in the image's pixels, in the order the embeddings are stored. */
export type CropBox = [left: number, top: number, right: number, bottom: number];

export function cropBoxes(width: number, height: number, scheme: CropScheme = DEFAULT_CROPS): CropBox[] {
  const [rows, cols] = scheme.grid;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new AppError('INVALID_INPUT', `An image of ${width}x${height} pixels cannot be cropped.`);
  }
  if (!(Number.isInteger(rows) && Number.isInteger(cols) && rows >= 1 && cols >= 1) || !(scheme.centerScale > 0 && scheme.centerScale <= 1)) {
    throw new AppError('INVALID_INPUT', `The crop scheme ${JSON.stringify(scheme)} needs a grid of whole numbers and a centre scale in (0, 1].`);
  }
  const div = (a: number, b: number) => Math.floor(a / b);
  const boxes: CropBox[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) boxes.push([div(c * width, cols), div(r * height, rows), div((c + 1) * width, cols), div((r + 1) * height, rows)]);
  }
  // Python's int() truncates toward zero, as Math.trunc does, for these positive sizes.
  const cw = Math.trunc(width * scheme.centerScale);
  const ch = Math.trunc(height * scheme.centerScale);
  const left = div(width - cw, 2);
  const top = div(height - ch, 2);
  boxes.push([left, top, left + cw, top + ch]);
  return boxes;
}
