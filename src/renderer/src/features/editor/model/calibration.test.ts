import { describe, expect, it } from 'vitest';
import { execute, startEditing } from '../../../../../shared/flat';
import { sampleFlat } from '../../../../../shared/flat/testing/fixtures';
import { calibrationFor, calibrationSources } from './calibration';

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
});
