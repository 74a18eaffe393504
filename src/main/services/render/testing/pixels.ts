import sharp from 'sharp';
import { FLAT_SCHEMA_VERSION, FlatDocumentSchema, type FlatDocument, type FlatItem } from '../../../../shared/flat/schema';

/**
 * A 150 x 150 mm page with one white square panel (10..140 mm) and `items` over it; or, given a
 * function, exactly the items it makes of that panel.
 */
export function squareFlat(items: FlatItem[] | ((panel: Record<string, unknown>) => unknown[])): FlatDocument {
  const panel = {
    id: 'body',
    layerId: 'l',
    type: 'shape',
    role: 'panel',
    segments: [
      { kind: 'M', to: { x: 10, y: 10 } },
      { kind: 'L', to: { x: 140, y: 10 } },
      { kind: 'L', to: { x: 140, y: 140 } },
      { kind: 'L', to: { x: 10, y: 140 } },
      { kind: 'Z' },
    ],
    style: { stroke: null, strokeWidth: 0, fill: '#ffffff' },
  };
  return FlatDocumentSchema.parse({
    schemaVersion: FLAT_SCHEMA_VERSION,
    id: 'motif-test',
    name: 'Motif test',
    units: { name: 'mm', mmPerUnit: 1 },
    page: { width: 150, height: 150 },
    views: [{ id: 'front', axisX: null, layers: [{ id: 'l', name: 'Main', visible: true, locked: false }], items: typeof items === 'function' ? items(panel) : [panel, ...items] }],
    attributes: {},
  });
}

/** An image's RGB pixels. */
export interface Raw {
  data: Buffer;
  width: number;
  height: number;
}

export const raw = async (png: Buffer | string, resize?: { width: number; height: number }): Promise<Raw> => {
  let img = sharp(png).removeAlpha();
  if (resize) img = img.resize(resize.width, resize.height, { fit: 'fill' });
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
};

/** Mean absolute difference per channel between a box of the render and the same-size reference. */
export function meanDiff(render: Raw, x0: number, y0: number, ref: Raw, rx0: number, ry0: number, w: number, h: number): number {
  let sum = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) sum += Math.abs(render.data[((y0 + y) * render.width + x0 + x) * 3 + c]! - ref.data[((ry0 + y) * ref.width + rx0 + x) * 3 + c]!);
  return sum / (w * h * 3);
}
