import {
  KNOWN_CM,
  anchorPoint,
  lineBetween,
  measuredLine,
  measurementsFor,
  type FlatCommandInput,
  type FlatDocument,
  type FlatView,
  type KnownMeasurement,
  type MeasuredLine,
  type Point,
} from '../../../../../shared/flat';
import { nearestAnchor } from './drawing';

/** Something on the drawing whose real length the technician can give: a garment measurement or a POM. */
export interface CalibrationSource {
  /** 'bodyLength', 'chestWidth', 'pom:<id>' or 'points' (two points clicked on the flat). */
  id: string;
  kind: KnownMeasurement | 'pom' | 'points';
  /** For a POM: its code and name, as the POM list shows them. */
  pom?: { code: string; name: string };
  line: MeasuredLine;
  /** Its length at the flat's present scale, in cm to 0.1. */
  nowCm: number;
}

const cmOf = (doc: FlatDocument, units: number) => Math.round(units * doc.units.mmPerUnit) / 10;

/**
 * What the view offers to calibrate by: two points the technician clicked (first, as they were picked
 * for this), the garment's known measurements, then each POM.
 */
export function calibrationSources(doc: FlatDocument, view: FlatView, picked: MeasuredLine | null = null): CalibrationSource[] {
  const out: CalibrationSource[] = [];
  if (picked && picked.length > 0) out.push({ id: 'points', kind: 'points', line: picked, nowCm: cmOf(doc, picked.length) });
  for (const kind of measurementsFor(doc.attributes.category)) {
    const line = measuredLine(view, kind);
    if (line) out.push({ id: kind, kind, line, nowCm: cmOf(doc, line.length) });
  }
  for (const pom of view.poms) {
    const at = (end: typeof pom.from) => {
      const shape = view.items.find((i) => i.id === end.shapeId);
      return shape?.type === 'shape' ? anchorPoint(shape.segments, end.segment) : null;
    };
    const [a, b] = [at(pom.from), at(pom.to)];
    if (!a || !b) continue;
    const line = lineBetween(a, b);
    if (line.length > 0) out.push({ id: `pom:${pom.id}`, kind: 'pom', pom: { code: pom.code, name: pom.name }, line, nowCm: cmOf(doc, line.length) });
  }
  return out;
}

export type CalibrationCheck = { ok: true; command: FlatCommandInput; factor: number } | { ok: false; error: 'notNumber' | 'range' };

/** The calibrate command for a typed length, or why the length cannot be used. */
export function calibrationFor(source: CalibrationSource, typed: string): CalibrationCheck {
  const cm = Number(typed.trim().replace(',', '.'));
  if (typed.trim() === '' || !Number.isFinite(cm)) return { ok: false, error: 'notNumber' };
  if (cm < KNOWN_CM.min || cm > KNOWN_CM.max) return { ok: false, error: 'range' };
  return { ok: true, command: { type: 'calibrate', length: source.line.length, cm }, factor: cm / source.nowCm };
}

/**
 * Where a click of the two-point calibration lands: on the nearest path point within `tolerance`
 * (document units), as the distance a technician knows runs between points of the drawing (shoulder
 * point, hem corner); else on `snapped`, the pointer as the editor's snapping (guides, grid) leaves it.
 */
export function calibrationPoint(view: FlatView, raw: Point, tolerance: number, hidden: ReadonlySet<string>, snapped: Point = raw): Point {
  return nearestAnchor(view, raw, tolerance, hidden)?.point ?? snapped;
}

/**
 * The line between the two points clicked, or null while the second lies on the first: a
 * zero-length line has no scale to give, so the pick waits for another click.
 */
export function pickedLine(from: Point, to: Point, tolerance: number): MeasuredLine | null {
  const line = lineBetween(from, to);
  return line.length > tolerance ? line : null;
}
