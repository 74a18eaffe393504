import { AppError } from '../contract/errors';
import { bounds, distance, flatten, type Box } from './geometry/path';
import type { FlatDocument, FlatView, Point, Segment } from './schema';
import { FLAT_PAGE_MM, formatMm } from './svg/limits';

/**
 * A flat's real-world scale. An SVG's physical units describe its page, not the garment: flats are
 * drawn at any scale (the shared FreeSewing flats put a whole garment on a 264.58 mm page). So the
 * scale comes from one length the technician knows, measured on the drawing the same way every time,
 * and `units.mmPerUnit` says how many millimetres of garment one document unit stands for.
 */
export const KNOWN_MEASUREMENTS = ['bodyLength', 'chestWidth'] as const;
export type KnownMeasurement = (typeof KNOWN_MEASUREMENTS)[number];

/** A known length, in cm, as a technician types it: a doll's dress to a full-length coat's hem. */
export const KNOWN_CM = { min: 1, max: 500 } as const;

/** What bottoms are measured by: a skirt or trousers have a length but no chest. */
const BOTTOMS = new Set(['skirt', 'trousers', 'shorts']);
export const measurementsFor = (category: string): readonly KnownMeasurement[] =>
  BOTTOMS.has(category) ? ['bodyLength'] : KNOWN_MEASUREMENTS;

/** How far down the garment the underarm is looked for, as a share of its length. */
const CHEST_SEARCH = 0.6;
/** The chest is measured this far below the underarm (a share of the length): 2.5 cm on a 70 cm T-shirt. */
const BELOW_UNDERARM = 0.035;
/** Without sleeves the chest is the widest span above the waist, which lies below this share. */
const ABOVE_WAIST = 0.4;

/** A straight line on the drawing and its length in document units. */
export interface MeasuredLine {
  from: Point;
  to: Point;
  length: number;
}

interface Outline {
  segments: Segment[];
  box: Box;
}

/**
 * The garment's silhouette: of every subpath of every shape on a visible layer, the one whose box is
 * largest. Details (pockets, plackets, stitching) sit inside it, so the silhouette is what is measured.
 */
function silhouette(view: FlatView): Outline | null {
  const visible = new Set(view.layers.filter((l) => l.visible).map((l) => l.id));
  let best: Outline | null = null;
  let bestArea = 0;
  for (const item of view.items) {
    if (item.type !== 'shape' || !visible.has(item.layerId)) continue;
    let sub: Segment[] = [];
    const subpaths: Segment[][] = [];
    for (const seg of item.segments) {
      if (seg.kind === 'M') subpaths.push((sub = []));
      sub.push(seg);
    }
    for (const segments of subpaths) {
      const box = bounds(segments);
      if (!box) continue;
      const area = (box.maxX - box.minX) * (box.maxY - box.minY);
      if (area > bestArea) [best, bestArea] = [{ segments, box }, area];
    }
  }
  return best;
}

/** Where a horizontal line at `y` crosses the outline (closed subpaths count their closing edge). */
function crossingsAt(segments: readonly Segment[], y: number): number[] {
  const xs: number[] = [];
  for (const line of flatten(segments, 0.05)) {
    const pts = line.closed ? [...line.points, line.points[0]!] : line.points;
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1]!;
      const b = pts[i]!;
      // Half-open, so a vertex exactly at y is one crossing, not two.
      if (a.y <= y === b.y <= y) continue;
      xs.push(a.x + ((b.x - a.x) * (y - a.y)) / (b.y - a.y));
    }
  }
  return xs;
}

interface Span {
  left: number;
  right: number;
  /** Whether the outline goes on beyond both ends (sleeves hanging apart from the body). */
  armsApart: boolean;
}

/**
 * The span across the body at `y` between the crossings nearest `centre`, or null where the centre
 * is not inside the garment (the neck opening, or above a hood).
 */
function spanAt(segments: readonly Segment[], y: number, centre: number): Span | null {
  const xs = crossingsAt(segments, y);
  const before = xs.filter((x) => x < centre);
  const after = xs.filter((x) => x > centre);
  if (before.length % 2 === 0 || after.length === 0) return null;
  return { left: Math.max(...before), right: Math.min(...after), armsApart: before.length > 1 && after.length > 1 };
}

/**
 * The chest line: side seam to side seam just under the arms, the first height where the sleeves
 * hang apart from the body; a sleeveless garment has none, and its chest is its widest span above
 * the waist.
 */
function chestLine(outline: Outline, centre: number): MeasuredLine | null {
  const { box } = outline;
  const h = box.maxY - box.minY;
  const steps = 240;
  const line = (y: number, span: Span): MeasuredLine => ({ from: { x: span.left, y }, to: { x: span.right, y }, length: span.right - span.left });
  let widest: MeasuredLine | null = null;
  for (let k = 0; k <= steps; k++) {
    const y = box.minY + (CHEST_SEARCH * h * k) / steps;
    const span = spanAt(outline.segments, y, centre);
    if (!span) continue;
    if (span.armsApart) {
      const chestY = y + BELOW_UNDERARM * h;
      const chest = spanAt(outline.segments, chestY, centre);
      return chest ? line(chestY, chest) : line(y, span);
    }
    if (y <= box.minY + ABOVE_WAIST * h && (!widest || span.right - span.left > widest.length)) widest = line(y, span);
  }
  return widest;
}

/**
 * The known measurement as it lies on the drawing, or null when the view has no outline to measure:
 * - body length: the silhouette's height, top (shoulder or waistband) to hem, down its centre;
 * - chest width: across the body just under the arms (see chestLine), side seam to side seam.
 */
export function measuredLine(view: FlatView, which: KnownMeasurement): MeasuredLine | null {
  const outline = silhouette(view);
  if (!outline) return null;
  const { box } = outline;
  const centre = view.axisX !== null && view.axisX > box.minX && view.axisX < box.maxX ? view.axisX : (box.minX + box.maxX) / 2;
  if (which === 'chestWidth') return chestLine(outline, centre);
  const length = box.maxY - box.minY;
  return length > 0 ? { from: { x: centre, y: box.minY }, to: { x: centre, y: box.maxY }, length } : null;
}

/** The measurement in cm at the flat's present scale, to 0.1 cm; null when there is nothing to measure. */
export function measuredCm(doc: Pick<FlatDocument, 'units'>, view: FlatView, which: KnownMeasurement): number | null {
  const line = measuredLine(view, which);
  return line ? Math.round(line.length * doc.units.mmPerUnit) / 10 : null;
}

/** A straight distance between two points of the drawing, in document units. */
export const lineBetween = (from: Point, to: Point): MeasuredLine => ({ from, to, length: distance(from, to) });

const NAMES: Record<KnownMeasurement, string> = { bodyLength: 'body length', chestWidth: 'chest width' };

/**
 * The scale that makes `length` document units measure `cm` on the garment. Refuses a length outside
 * KNOWN_CM, and a scale that would put the page outside what a flat's page can be.
 */
export function scaleFor(length: number, cm: number, page: FlatDocument['page'], what = 'the measurement'): number {
  if (!Number.isFinite(cm) || cm < KNOWN_CM.min || cm > KNOWN_CM.max)
    throw new AppError('INVALID_INPUT', `Give ${what} as ${KNOWN_CM.min} to ${KNOWN_CM.max} cm; got ${Number.isFinite(cm) ? cm : String(cm)}.`);
  if (!(length > 0) || !Number.isFinite(length)) throw new AppError('INVALID_INPUT', `${capital(what)} has no length on the drawing to set the scale by.`);
  const mmPerUnit = (cm * 10) / length;
  const sides = [page.width * mmPerUnit, page.height * mmPerUnit];
  if (sides.some((mm) => mm < FLAT_PAGE_MM.min || mm > FLAT_PAGE_MM.max))
    throw new AppError(
      'INVALID_INPUT',
      `At ${cm} cm for ${what}, the page would be ${formatMm(sides[0]!)} × ${formatMm(sides[1]!)}; a flat's page is ${formatMm(FLAT_PAGE_MM.min)} to ${formatMm(FLAT_PAGE_MM.max)} on each side.`,
    );
  return mmPerUnit;
}

/** The scale from a known measurement of the view's garment (import, or calibrating by measurement). */
export function scaleForKnown(doc: Pick<FlatDocument, 'page'>, view: FlatView, which: KnownMeasurement, cm: number): number {
  const line = measuredLine(view, which);
  if (!line) throw new AppError('INVALID_INPUT', `The drawing has no garment outline to measure its ${NAMES[which]} on.`);
  return scaleFor(line.length, cm, doc.page, `the ${NAMES[which]}`);
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
