import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testFixture } from '../../main/test-fixtures';
import { AppError } from '../contract/errors';
import { execute, redo, startEditing, undo } from './commands/history';
import { loadFlat } from './migrations';
import { measuredCm, measuredLine, scaleFor } from './scale';
import type { FlatDocument, Print, Shape } from './schema';
import { importSvg } from './svg';
import { sampleFlat } from './testing/fixtures';

const LOTUS = '3b2d1c4e-5f60-4a7b-8c9d-0e1f2a3b4c5d';
const template = (name: string): FlatDocument =>
  loadFlat(JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../resources/templates', `${name}.json`), 'utf8')));
const front = (doc: FlatDocument) => doc.views[0]!;

/** The sample flat with a chest print 40 x 20 units and a lotus repeat of 8 cm on its panel. */
function printed(): FlatDocument {
  let s = startEditing(sampleFlat());
  s = execute(s, { type: 'print.add', viewId: 'front', id: 'chest-print', layerId: 'body', motifId: LOTUS, at: { x: 100, y: 70 }, width: 40, height: 20 });
  s = execute(s, { type: 'motif.fill', viewId: 'front', shapeIds: ['panel'], fill: { motifId: LOTUS, repeatCm: 8 } });
  return s.doc;
}

describe('measuring a garment on its drawing', () => {
  it('finds the body length and the chest of the templates, which are drawn to scale', () => {
    const cases: [string, number, number | null][] = [
      ['t-shirt', 70, 50],
      ['polo', 72, 52],
      ['jacket', 70, 60],
      ['coat', 100, 62],
      ['dress', 103, 47],
    ];
    for (const [name, length, chest] of cases) {
      const doc = template(name);
      expect(measuredCm(doc, front(doc), 'bodyLength'), name).toBeCloseTo(length, 0);
      expect(measuredCm(doc, front(doc), 'chestWidth'), name).toBeCloseTo(chest!, 0);
    }
  });

  it('measures the chest side seam to side seam under the sleeves, and the length down the centre', () => {
    const doc = template('t-shirt');
    const chest = measuredLine(front(doc), 'chestWidth')!;
    expect(chest.from.y).toBe(chest.to.y);
    // Under the arms (armhole 230 mm below the shoulder at y = 120), not across the sleeves.
    expect(chest.from.y).toBeGreaterThan(120 + 230);
    expect(chest.from.y).toBeLessThan(120 + 280);
    const length = measuredLine(front(doc), 'bodyLength')!;
    expect(length.from.x).toBe(500);
    expect(length.to.x).toBe(500);
  });

  it('has nothing to measure on an empty view', () => {
    expect(measuredLine(sampleFlat().views[1]!, 'bodyLength')).toBeNull();
  });
});

describe('import with a known measurement', () => {
  const svg = fs.readFileSync(testFixture('flat_views', 'side-by-side.svg'), 'utf8');

  it('sets the scale so the body length is what the technician said, whatever the page', () => {
    const drawn = importSvg(svg, { views: 'auto' }).doc;
    // 220 px of drawing on a page of px: 5.82 cm "long" as drawn.
    expect(measuredCm(drawn, front(drawn), 'bodyLength')).toBeCloseTo(5.8, 1);
    const { doc } = importSvg(svg, { views: 'auto', known: { measurement: 'bodyLength', cm: 70 }, category: 't-shirt' });
    expect(measuredCm(doc, front(doc), 'bodyLength')).toBe(70);
    expect(doc.units.mmPerUnit).toBeCloseTo(700 / (220 * (25.4 / 96)), 9);
    expect(doc.attributes.category).toBe('t-shirt');
    // The chest (104 px side seam to side seam) follows at the same scale.
    expect(measuredCm(doc, front(doc), 'chestWidth')).toBeCloseTo((70 * 104) / 220, 1);
    const byChest = importSvg(svg, { views: 'auto', known: { measurement: 'chestWidth', cm: 52 } }).doc;
    expect(measuredCm(byChest, front(byChest), 'chestWidth')).toBe(52);
  });

  it('refuses a known length no garment has, and a scale that makes the page absurd, saying why', () => {
    const refused = (cm: number, message: RegExp) => {
      try {
        importSvg(svg, { views: 'auto', known: { measurement: 'bodyLength', cm } });
      } catch (e) {
        expect(AppError.is(e, 'INVALID_INPUT')).toBe(true);
        expect((e as Error).message).toMatch(message);
        return;
      }
      throw new Error(`${cm} cm was accepted`);
    };
    refused(0.5, /Give the body length as 1 to 500 cm; got 0\.5\./);
    refused(Number.NaN, /Give the body length as 1 to 500 cm; got NaN\./);
    refused(900, /1 to 500 cm; got 900/);
    expect(() => scaleFor(1, 500, { width: 1e5, height: 10 })).toThrow(/At 500 cm for the measurement, the page would be 5.00e\+8 mm × 50 m; a flat's page is 1 cm to 100 m on each side\./);
    const blank = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><text x="5" y="5">Only words</text></svg>';
    expect(() => importSvg(blank, { known: { measurement: 'chestWidth', cm: 50 } })).toThrow(/no garment outline to measure its chest width on/);
  });
});

describe('the calibrate command', () => {
  it('changes the scale and every measurement with it, in one step that undo takes back', () => {
    const start = startEditing(printed());
    const before = start.doc;
    expect(before.views[0]!.poms[0]!.value).toBe(8);
    // The panel's top edge, 80 units, is 52 cm on the garment.
    const done = execute(start, { type: 'calibrate', length: 80, cm: 52 });
    expect(done.history.entries).toHaveLength(1);
    expect(done.doc.units.mmPerUnit).toBeCloseTo(6.5, 12);
    expect(done.doc.views[0]!.poms[0]!.value).toBe(52);
    // The drawing itself stays as it was.
    expect((front(done.doc).items[0] as Shape).segments).toEqual((front(before).items[0] as Shape).segments);
    expect(undo(done).doc).toEqual(before);
    expect(redo(undo(done)).doc).toEqual(done.doc);
  });

  it('keeps prints and motif repeats at their size in cm, so they are drawn at the new scale', () => {
    const before = printed();
    const cm = (doc: FlatDocument, units: number) => (units * doc.units.mmPerUnit) / 10;
    const printOf = (doc: FlatDocument) => front(doc).items.find((i) => i.type === 'print') as Print;
    const after = execute(startEditing(before), { type: 'calibrate', length: 80, cm: 52 }).doc;
    expect(cm(after, printOf(after).width)).toBeCloseTo(cm(before, printOf(before).width), 9);
    expect(cm(after, printOf(after).height)).toBeCloseTo(2, 9);
    expect(printOf(after).at).toEqual(printOf(before).at);
    // A repeat is kept in cm; at 6.5 mm a unit, its 8 cm span 12.3 units of drawing instead of 80.
    const panel = (doc: FlatDocument) => front(doc).items.find((i) => i.id === 'panel') as Shape;
    expect(panel(after).motifFill).toEqual(panel(before).motifFill);
    expect((panel(after).motifFill!.repeatCm * 10) / after.units.mmPerUnit).toBeCloseTo(80 / 6.5, 9);
  });

  it('refuses a length outside what a garment measures, and changes nothing', () => {
    const start = startEditing(printed());
    expect(() => execute(start, { type: 'calibrate', length: 80, cm: 5000 })).toThrow(/1 to 500 cm; got 5000/);
    expect(() => execute(start, { type: 'calibrate', length: 0, cm: 50 })).toThrow(/Not a valid flat edit: length/);
    expect(start.doc).toEqual(printed());
  });
});
