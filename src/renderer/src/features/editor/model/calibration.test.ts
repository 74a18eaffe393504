import { describe, expect, it } from 'vitest';
import { execute, startEditing, undo } from '../../../../../shared/flat';
import { sampleFlat } from '../../../../../shared/flat/testing/fixtures';
import { calibrationFor, calibrationPoint, calibrationSources, pickedLine } from './calibration';

describe('calibrating from the editor', () => {
  it('offers the garment measurements and every point of measure, each with its length now', () => {
    const doc = sampleFlat();
    const sources = calibrationSources(doc, doc.views[0]!);
    expect(sources.map((s) => s.id)).toEqual(['bodyLength', 'chestWidth', 'pom:chest']);
    // The sample's POM runs along the panel's 80 mm top edge.
    expect(sources[2]).toMatchObject({ kind: 'pom', pom: { code: 'C', name: 'Chest' }, nowCm: 8 });
    expect(calibrationSources(doc, doc.views[1]!)).toEqual([]);
  });

  it('makes one calibrate command that brings the chosen length to what was typed', () => {
    const doc = sampleFlat();
    const pom = calibrationSources(doc, doc.views[0]!).find((s) => s.kind === 'pom')!;
    const check = calibrationFor(pom, '52');
    if (!check.ok) throw new Error(check.error);
    expect(check.factor).toBeCloseTo(6.5, 9);
    const after = execute(startEditing(doc), check.command).doc;
    expect(after.views[0]!.poms[0]!.value).toBe(52);
    expect(calibrationSources(after, after.views[0]!).find((s) => s.kind === 'pom')!.nowCm).toBe(52);
    expect(calibrationFor(pom, '')).toEqual({ ok: false, error: 'notNumber' });
    expect(calibrationFor(pom, '600')).toEqual({ ok: false, error: 'range' });
  });

  it('calibrates by two points clicked on the flat, each taken onto a path point near it, as one undoable command', () => {
    const doc = sampleFlat();
    const view = doc.views[0]!;
    const none = new Set<string>();
    // Clicked a little off the panel's top corners (60,40) and (140,40): each lands on the corner.
    const a = calibrationPoint(view, { x: 61.5, y: 38.8 }, 3, none);
    const b = calibrationPoint(view, { x: 139, y: 41.2 }, 3, none);
    expect([a, b]).toEqual([{ x: 60, y: 40 }, { x: 140, y: 40 }]);
    // Far from any path point, a click stays where snapping put it.
    expect(calibrationPoint(view, { x: 100, y: 100 }, 3, none, { x: 100, y: 101 })).toEqual({ x: 100, y: 101 });
    // A hidden layer's points are not taken.
    expect(calibrationPoint(view, { x: 61, y: 40 }, 3, new Set(['body']))).toEqual({ x: 61, y: 40 });
    // Clicking the first point again measures nothing.
    expect(pickedLine(a, { x: 60.5, y: 40 }, 1)).toBeNull();

    const line = pickedLine(a, b, 1)!;
    const sources = calibrationSources(doc, view, line);
    expect(sources[0]).toMatchObject({ id: 'points', kind: 'points', nowCm: 8 });
    expect(sources.slice(1).map((s) => s.id)).toEqual(['bodyLength', 'chestWidth', 'pom:chest']);

    const check = calibrationFor(sources[0]!, '40');
    if (!check.ok) throw new Error(check.error);
    expect(check.command).toEqual({ type: 'calibrate', length: 80, cm: 40 });
    const editing = execute(startEditing(doc), check.command);
    expect(editing.doc.units.mmPerUnit).toBeCloseTo(5, 12);
    // The POM along the same edge reads the typed distance; one undo puts the scale back.
    expect(editing.doc.views[0]!.poms[0]!.value).toBe(40);
    expect(undo(editing).doc.units.mmPerUnit).toBe(1);
  });
});
