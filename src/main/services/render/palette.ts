import type { Palette } from '../../../shared/contract/render';
import type { FlatView, Shape } from '../../../shared/flat/schema';
import { isClosed } from '../../../shared/flat/geometry/path';
import { AppError } from '../../../shared/contract/errors';

export { PaletteSchema, PaletteFillSchema, SolidColourSchema, type Palette } from '../../../shared/contract/render';

export type PanelFill =
  | { kind: 'swatch'; swatchId: string; angle: number }
  | { kind: 'solid'; colour: string };

/** Shapes cut from fabric: closed panels, and closed filled details such as collars and pockets. */
export function isFabricShape(shape: Shape): boolean {
  if (shape.role === 'seam') return false;
  if (shape.role === 'detail' && shape.style.fill === null) return false;
  return isClosed(shape.segments);
}

/** The fill of every fabric shape of the view that the palette (or the flat itself) puts fabric on. */
export function resolvePanelFills(view: FlatView, palette: Palette): Map<string, PanelFill> {
  const fills = new Map<string, PanelFill>();
  const known = new Set(view.items.map((i) => i.id));
  for (const key of Object.keys(palette)) {
    if (key !== 'all' && !known.has(key)) throw new AppError('INVALID_INPUT', `The palette names "${key}", which is not a shape of the ${view.id} view.`);
  }
  for (const item of view.items) {
    if (item.type !== 'shape' || !isFabricShape(item)) continue;
    const angle = item.fabric?.angle ?? 0;
    const chosen = palette[item.id] ?? palette.all;
    if (chosen !== undefined) {
      fills.set(item.id, chosen.startsWith('#') ? { kind: 'solid', colour: chosen.toLowerCase() } : { kind: 'swatch', swatchId: chosen, angle });
    } else if (item.fabric) {
      fills.set(item.id, { kind: 'swatch', swatchId: item.fabric.swatchId, angle });
    }
  }
  return fills;
}
