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
} from '../../../../../shared/flat';

/** Something on the drawing whose real length the technician can give: a garment measurement or a POM. */
export interface CalibrationSource {
  /** 'bodyLength', 'chestWidth' or 'pom:<id>'. */
  id: string;
  kind: KnownMeasurement | 'pom';
  /** For a POM: its code and name, as the POM list shows them. */
  pom?: { code: string; name: string };
  line: MeasuredLine;
  /** Its length at the flat's present scale, in cm to 0.1. */
  nowCm: number;
}

const cmOf = (doc: FlatDocument, units: number) => Math.round(units * doc.units.mmPerUnit) / 10;

/** What the view offers to calibrate by: the garment's known measurements, then each POM. */
export function calibrationSources(doc: FlatDocument, view: FlatView): CalibrationSource[] {
  const out: CalibrationSource[] = [];
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
