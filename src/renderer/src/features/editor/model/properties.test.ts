import { describe, expect, it } from 'vitest';
import { execute, exportSvg, startEditing, undo, type FlatDocument, type FlatState, type Print, type Shape, type Units } from '../../../../../shared/flat';
import { sampleFlat } from '../../../../../shared/flat/testing/fixtures';
import {
  motifAngleEdit,
  motifFillRemove,
  motifRepeatEdit,
  normaliseAngle,
  panelSwatchEdit,
  printOpacityEdit,
  printRotationEdit,
  printSizeCm,
  printSizeEdit,
  readNumber,
  takesFabric,
  type PropertyEdit,
} from './properties';

const item = <T>(doc: FlatDocument, id: string) => doc.views[0]!.items.find((i) => i.id === id) as T;

/** The sample flat with a 60 x 30 mm print and its panel filled with a 10 cm repeat at 15 degrees. */
function printed(units: Units = { name: 'mm', mmPerUnit: 1 }): FlatState {
  let s = startEditing({ ...sampleFlat(), units });
  s = execute(s, { type: 'print.add', viewId: 'front', id: 'lotus-print', layerId: 'body', motifId: 'lotus', at: { x: 100, y: 80 }, width: 60, height: 30, rotation: 10, opacity: 0.8 });
  s = execute(s, { type: 'motif.fill', viewId: 'front', shapeIds: ['panel'], fill: { motifId: 'lotus', repeatCm: 10, angle: 15 } });
  return s;
}

/** Runs an edit as the panel does: one command, one undo step back to where it was. */
function apply(state: FlatState, edit: PropertyEdit): FlatState {
  if (!edit || !('command' in edit)) throw new Error(`expected a command, got ${JSON.stringify(edit)}`);
  const next = execute(state, edit.command);
  expect(next.history.entries.length).toBe(state.history.entries.length + 1);
  expect(undo(next).doc).toEqual(state.doc);
  return next;
}

describe('print properties', () => {
  it('reads typed numbers, with a decimal comma too, and refuses the rest', () => {
    expect(readNumber(' 12.5 ')).toBe(12.5);
    expect(readNumber('12,5')).toBe(12.5);
    expect(readNumber('')).toBeNull();
    expect(readNumber('abc')).toBeNull();
    expect(readNumber('Infinity')).toBeNull();
  });

  it('keeps angles as one turn about zero', () => {
    expect(normaliseAngle(270)).toBe(-90);
    expect(normaliseAngle(-90)).toBe(-90);
    expect(normaliseAngle(180)).toBe(180);
    expect(normaliseAngle(-180)).toBe(180);
    expect(normaliseAngle(725)).toBe(5);
  });

  it('changes opacity (in percent) and rotation, each one undoable command', () => {
    let s = printed();
    s = apply(s, printOpacityEdit('front', item<Print>(s.doc, 'lotus-print'), '35'));
    expect(item<Print>(s.doc, 'lotus-print').opacity).toBeCloseTo(0.35, 12);
    s = apply(s, printRotationEdit('front', item<Print>(s.doc, 'lotus-print'), '400'));
    expect(item<Print>(s.doc, 'lotus-print').rotation).toBe(40);
    // The rest of the print is untouched.
    expect(item<Print>(s.doc, 'lotus-print')).toMatchObject({ at: { x: 100, y: 80 }, width: 60, height: 30, motifId: 'lotus' });
  });

  it('resizes keeping the artwork in proportion, sizes typed in centimetres', () => {
    let s = printed();
    const p = item<Print>(s.doc, 'lotus-print');
    expect(printSizeCm(p, s.doc.units)).toEqual({ width: 6, height: 3 });
    s = apply(s, printSizeEdit('front', p, s.doc.units, 'width', '9'));
    expect(item<Print>(s.doc, 'lotus-print')).toMatchObject({ width: 90, height: 45, at: { x: 100, y: 80 } });
    s = apply(s, printSizeEdit('front', item<Print>(s.doc, 'lotus-print'), s.doc.units, 'height', '1.5'));
    expect(item<Print>(s.doc, 'lotus-print')).toMatchObject({ width: 30, height: 15 });
  });

  it('sizes a print in an inch document by the same centimetres', () => {
    const s0 = printed({ name: 'in', mmPerUnit: 25.4 });
    const p = item<Print>(s0.doc, 'lotus-print');
    // 60 x 30 inches is 152.4 x 76.2 cm.
    expect(printSizeCm(p, s0.doc.units).width).toBeCloseTo(152.4, 9);
    const s = apply(s0, printSizeEdit('front', p, s0.doc.units, 'width', '25.4'));
    expect(item<Print>(s.doc, 'lotus-print').width).toBeCloseTo(10, 9);
    expect(item<Print>(s.doc, 'lotus-print').height).toBeCloseTo(5, 9);
  });

  it('refuses bad values with a reason, and an unchanged value is no edit', () => {
    const s = printed();
    const p = item<Print>(s.doc, 'lotus-print');
    expect(printOpacityEdit('front', p, '120')).toEqual({ error: 'opacity' });
    expect(printOpacityEdit('front', p, '-1')).toEqual({ error: 'opacity' });
    expect(printOpacityEdit('front', p, '')).toEqual({ error: 'notNumber' });
    expect(printSizeEdit('front', p, s.doc.units, 'width', '0')).toEqual({ error: 'size', values: { max: 200 } });
    // A height of 150 cm would make the width 300 cm: too wide, though the height itself is allowed.
    expect(printSizeEdit('front', p, s.doc.units, 'height', '150')).toEqual({ error: 'size', values: { max: 200 } });
    expect(printOpacityEdit('front', p, '80')).toBeNull();
    expect(printRotationEdit('front', p, '370')).toBeNull();
    expect(printSizeEdit('front', p, s.doc.units, 'width', '6.00')).toBeNull();
  });
});

describe('motif fill properties', () => {
  it('changes the repeat size and angle and removes the fill, each one undoable command', () => {
    let s = printed();
    s = apply(s, motifRepeatEdit('front', item<Shape>(s.doc, 'panel'), '12.5'));
    expect(item<Shape>(s.doc, 'panel').motifFill).toEqual({ motifId: 'lotus', repeatCm: 12.5, angle: 15 });
    s = apply(s, motifAngleEdit('front', item<Shape>(s.doc, 'panel'), '-30'));
    expect(item<Shape>(s.doc, 'panel').motifFill).toEqual({ motifId: 'lotus', repeatCm: 12.5, angle: -30 });
    const cloth = item<Shape>(s.doc, 'panel').style;
    s = apply(s, motifFillRemove('front', item<Shape>(s.doc, 'panel')));
    expect(item<Shape>(s.doc, 'panel').motifFill).toBeNull();
    expect(item<Shape>(s.doc, 'panel').style).toEqual(cloth);
  });

  it('refuses a repeat outside [0.1, 200] cm as typed; a panel without a fill has nothing to edit', () => {
    const s = printed();
    const panel = item<Shape>(s.doc, 'panel');
    for (const text of ['0', '0.05', '0.099', '-1', '200.01', '250']) {
      expect(motifRepeatEdit('front', panel, text), text).toEqual({ error: 'repeat', values: { min: 0.1, max: 200 } });
    }
    expect(motifRepeatEdit('front', panel, 'x')).toEqual({ error: 'notNumber' });
    expect(motifRepeatEdit('front', panel, '10')).toBeNull();
    const bare = item<Shape>(s.doc, 'pocket');
    expect(motifRepeatEdit('front', bare, '5')).toBeNull();
    expect(motifFillRemove('front', bare)).toBeNull();
  });
});

describe('panel fabric', () => {
  it('puts a swatch on a panel, changes it keeping the grain, and takes it off, each one undoable command', () => {
    let s = startEditing(sampleFlat());
    s = apply(s, panelSwatchEdit('front', item<Shape>(s.doc, 'panel'), 'denim-12oz'));
    expect(item<Shape>(s.doc, 'panel').fabric).toEqual({ swatchId: 'denim-12oz', angle: 0 });
    // A grain turned on the canvas stays when the cloth changes.
    s = execute(s, { type: 'fabric.assign', viewId: 'front', shapeIds: ['panel'], fabric: { swatchId: 'denim-12oz', angle: 45 } });
    s = apply(s, panelSwatchEdit('front', item<Shape>(s.doc, 'panel'), 'linen-white'));
    expect(item<Shape>(s.doc, 'panel').fabric).toEqual({ swatchId: 'linen-white', angle: 45 });
    expect(panelSwatchEdit('front', item<Shape>(s.doc, 'panel'), 'linen-white')).toBeNull();
    s = apply(s, panelSwatchEdit('front', item<Shape>(s.doc, 'panel'), ''));
    expect(item<Shape>(s.doc, 'panel').fabric).toBeNull();
    expect(panelSwatchEdit('front', item<Shape>(s.doc, 'panel'), '')).toBeNull();
  });

  it('is offered for panels and closed outlines, not for open seams', () => {
    const doc = sampleFlat();
    expect(takesFabric(item<Shape>(doc, 'panel'))).toBe(true);
    expect(takesFabric(item<Shape>(doc, 'pocket'))).toBe(true);
    const seam = doc.views[0]!.items.find((i): i is Shape => i.type === 'shape' && !takesFabric(i));
    expect(seam?.role).toBe('seam');
  });

});

describe('the motif repeat field and the render', () => {
  it('takes exactly the repeats the colorway and tech-pack export draws, refusing the ones it would refuse at render time', () => {
    // A square motif picture, so the repeat's height is its width: only the width limits apply.
    const art = { motifs: new Map([['lotus', { href: 'data:image/png;base64,', width: 400, height: 400 }]]) };
    const panel = item<Shape>(printed().doc, 'panel');
    for (const text of ['0.05', '0.099', '0.1', '0.1001', '200', '200.5']) {
      const edit = motifRepeatEdit('front', panel, text);
      const rendered = (() => {
        if (!edit || !('command' in edit)) return false;
        try {
          exportSvg(execute(printed(), edit.command).doc, art);
          return true;
        } catch {
          return false;
        }
      })();
      expect(rendered, text).toBe(edit !== null && 'command' in edit);
    }
    // The export itself refuses a repeat finer than 0.1 cm that bypasses the field.
    const tooFine = execute(printed(), { type: 'motif.fill', viewId: 'front', shapeIds: ['panel'], fill: { motifId: 'lotus', repeatCm: 0.05, angle: 0 } });
    expect(() => exportSvg(tooFine.doc, art)).toThrow(/a repeat is 0.1 to 1000 cm/);
  });
});
