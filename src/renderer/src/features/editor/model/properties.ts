import { isClosed, MAX_MOTIF_REPEAT_CM, type FlatCommandInput, type MotifFill, type Print, type Shape, type Units, type ViewId } from '../../../../../shared/flat';
import { SWATCH_CM } from '../../../../../shared/contract/swatches';
import { unitsPerCm } from '../canvas/units';

/**
 * The edits the properties panel makes to a placed print and to a panel's motif fill: each typed
 * value becomes one document command (one undo step), or a reason it was refused, or nothing when the
 * value is what the document already holds. Sizes are shown in centimetres whatever the document's
 * own unit, as a technician specifies artwork on the garment.
 */

/** Why a typed value was refused: a locale key under editor.props.error and its values. */
export interface PropertyRefusal {
  error: 'notNumber' | 'opacity' | 'size' | 'repeat';
  values?: Record<string, number>;
}
export type PropertyEdit = { command: FlatCommandInput } | PropertyRefusal | null;

/** The largest side a print may take, in centimetres: as large as the largest motif repeat. */
export const MAX_PRINT_CM = MAX_MOTIF_REPEAT_CM;
/**
 * The finest repeat a motif fill may take: the colorway and tech-pack renders (the SVG export) refuse a
 * repeat finer than a swatch may be, so the field refuses it as typed rather than the render later.
 */
export const MIN_MOTIF_REPEAT_CM = SWATCH_CM.min;
/** Shown and compared at this many decimals, so a value typed back unchanged is no edit. */
const DECIMALS = 2;

export const roundShown = (v: number) => Math.round(v * 10 ** DECIMALS) / 10 ** DECIMALS;

/** A typed number, or null for an empty or unreadable field. */
export function readNumber(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (!t) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** An angle in degrees as (-180, 180], so 270 and -90 are one turn. */
export function normaliseAngle(deg: number): number {
  const a = ((((deg + 180) % 360) + 360) % 360) - 180;
  return a === -180 ? 180 : a;
}

const same = (a: number, b: number) => roundShown(a) === roundShown(b);

/** A print's size in centimetres on the garment. */
export function printSizeCm(print: Print, units: Units): { width: number; height: number } {
  const perCm = unitsPerCm(units);
  return { width: print.width / perCm, height: print.height / perCm };
}

function update(viewId: ViewId, id: string, changes: Record<string, unknown>): { command: FlatCommandInput } {
  return { command: { type: 'item.update', viewId, id, changes } };
}

/** Opacity typed in percent (0 to 100). */
export function printOpacityEdit(viewId: ViewId, print: Print, text: string): PropertyEdit {
  const v = readNumber(text);
  if (v === null) return { error: 'notNumber' };
  if (v < 0 || v > 100) return { error: 'opacity' };
  const opacity = roundShown(v) / 100;
  return same(opacity * 100, print.opacity * 100) ? null : update(viewId, print.id, { opacity });
}

/** Rotation in degrees, clockwise on screen about the print's centre. */
export function printRotationEdit(viewId: ViewId, print: Print, text: string): PropertyEdit {
  const v = readNumber(text);
  if (v === null) return { error: 'notNumber' };
  const rotation = normaliseAngle(v);
  return same(rotation, normaliseAngle(print.rotation)) ? null : update(viewId, print.id, { rotation });
}

/**
 * Width or height typed in centimetres: the other side follows, so the artwork keeps its proportions;
 * the centre stays where it is. Refused when either side would leave (0, MAX_PRINT_CM].
 */
export function printSizeEdit(viewId: ViewId, print: Print, units: Units, side: 'width' | 'height', text: string): PropertyEdit {
  const v = readNumber(text);
  if (v === null) return { error: 'notNumber' };
  if (!(v > 0)) return { error: 'size', values: { max: MAX_PRINT_CM } };
  const now = printSizeCm(print, units);
  if (same(v, now[side])) return null;
  const k = v / now[side];
  const cm = { width: now.width * k, height: now.height * k };
  if (!(cm.width > 0) || !(cm.height > 0) || cm.width > MAX_PRINT_CM || cm.height > MAX_PRINT_CM)
    return { error: 'size', values: { max: MAX_PRINT_CM } };
  const perCm = unitsPerCm(units);
  // The typed side is taken as typed; only the other one is computed.
  const width = side === 'width' ? v * perCm : print.width * k;
  const height = side === 'height' ? v * perCm : print.height * k;
  return update(viewId, print.id, { width, height });
}

function fillEdit(viewId: ViewId, shape: Shape, fill: MotifFill | null): { command: FlatCommandInput } {
  return { command: { type: 'motif.fill', viewId, shapeIds: [shape.id], fill } };
}

/** The repeat's size in centimetres (one motif's width on the garment). */
export function motifRepeatEdit(viewId: ViewId, shape: Shape, text: string): PropertyEdit {
  const fill = shape.motifFill;
  if (!fill) return null;
  const v = readNumber(text);
  if (v === null) return { error: 'notNumber' };
  if (!(v >= MIN_MOTIF_REPEAT_CM && v <= MAX_MOTIF_REPEAT_CM)) return { error: 'repeat', values: { min: MIN_MOTIF_REPEAT_CM, max: MAX_MOTIF_REPEAT_CM } };
  return same(v, fill.repeatCm) ? null : fillEdit(viewId, shape, { ...fill, repeatCm: v });
}

/** The repeat's angle in degrees. */
export function motifAngleEdit(viewId: ViewId, shape: Shape, text: string): PropertyEdit {
  const fill = shape.motifFill;
  if (!fill) return null;
  const v = readNumber(text);
  if (v === null) return { error: 'notNumber' };
  const angle = normaliseAngle(v);
  return same(angle, normaliseAngle(fill.angle)) ? null : fillEdit(viewId, shape, { ...fill, angle });
}

/** Takes the motif repeat off the panel; its cloth stays. */
export function motifFillRemove(viewId: ViewId, shape: Shape): PropertyEdit {
  return shape.motifFill ? fillEdit(viewId, shape, null) : null;
}

/** Whether a shape is a piece of cloth that can take a swatch: a panel, or any closed outline. */
export const takesFabric = (shape: Shape): boolean => shape.role === 'panel' || isClosed(shape.segments);

/**
 * The panel's swatch: a swatch id, or '' for none. The grain angle already set is kept, so changing
 * the cloth does not turn it; choosing what the panel already has is no edit.
 */
export function panelSwatchEdit(viewId: ViewId, shape: Shape, swatchId: string): PropertyEdit {
  if ((shape.fabric?.swatchId ?? '') === swatchId) return null;
  const fabric = swatchId ? { swatchId, angle: shape.fabric?.angle ?? 0 } : null;
  return { command: { type: 'fabric.assign', viewId, shapeIds: [shape.id], fabric } };
}
