import { describe, expect, it } from 'vitest';
import { execute, exportSvg, startEditing, type Units } from '../../../../../shared/flat';
import { sampleFlat } from '../../../../../shared/flat/testing/fixtures';
import { motifRepeatScale, unitsPerCm } from './units';

const MM: Units = { name: 'mm', mmPerUnit: 1 };
const CM: Units = { name: 'cm', mmPerUnit: 10 };
const IN: Units = { name: 'in', mmPerUnit: 25.4 };

describe('document units on the canvas', () => {
  it('counts document units in a centimetre from the declared unit length', () => {
    expect(unitsPerCm(MM)).toBe(10);
    expect(unitsPerCm(CM)).toBe(1);
    expect(unitsPerCm(IN)).toBeCloseTo(1 / 2.54, 12);
    // 96 CSS pixels to the inch.
    expect(unitsPerCm({ name: 'px', mmPerUnit: 25.4 / 96 })).toBeCloseTo(96 / 2.54, 9);
  });

  it('prints a repeat of the same size on the garment whatever unit the document is drawn in', () => {
    // A 10 cm repeat of a 500 px motif picture is 100 units wide in a millimetre document, 10 in a
    // centimetre one and 3.937 in an inch one: 10 cm on the garment each time.
    const garmentMm = (units: Units) => 500 * motifRepeatScale(10, unitsPerCm(units), 500) * units.mmPerUnit;
    expect(garmentMm(MM)).toBe(100);
    expect(garmentMm(CM)).toBe(100);
    expect(garmentMm(IN)).toBeCloseTo(100, 9);
    expect(motifRepeatScale(20, 10, 500)).toBe(2 * motifRepeatScale(10, 10, 500));
  });

  it('sizes the repeat as the SVG export (tech pack, colorways) does, for every unit', () => {
    for (const units of [MM, CM, IN]) {
      let s = startEditing({ ...sampleFlat(), units });
      s = execute(s, { type: 'motif.fill', viewId: 'front', shapeIds: ['panel'], fill: { motifId: 'lotus', repeatCm: 12, angle: 0 } });
      const svg = exportSvg(s.doc, { motifs: new Map([['lotus', { href: 'data:image/png;base64,', width: 400, height: 300 }]]) });
      const width = Number(/<pattern[^>]* width="([\d.]+)"/.exec(svg)?.[1]);
      // The canvas draws the 400 px picture scaled by motifRepeatScale: the same width in document units.
      expect(400 * motifRepeatScale(12, unitsPerCm(units), 400)).toBeCloseTo(width, 2);
    }
  });
});
