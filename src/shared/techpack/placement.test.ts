import { describe, expect, it } from 'vitest';
import type { Shape } from '../flat';
import { template } from '../../main/services/techpack/test-kit';
import { outlineOf } from './outline';
import { motifPlacements, placementSheetText } from './placement';
import type { ResolvedTechPack } from './resolved';

/** The tee template with a chest print on the front (twice: a copy pasted on top) and the back body filled. */
function printedTee(motifId: string) {
  const flat = template('t-shirt');
  const front = flat.views.find((v) => v.id === 'front')!;
  const back = flat.views.find((v) => v.id === 'back')!;
  const print = { layerId: front.layers[0]!.id, type: 'print' as const, motifId, at: { x: 400, y: 300 }, width: 120, height: 120, rotation: 0, opacity: 1 };
  front.items.push({ ...print, id: 'chest', name: 'Chest print' }, { ...print, id: 'chest-copy', name: 'Chest print' }, { ...print, id: 'hem', name: '' });
  const body = back.items.find((i): i is Shape => i.type === 'shape' && i.role === 'panel')!;
  body.motifFill = { motifId, repeatCm: 8, angle: 0 };
  return { flat, panel: body.name || body.id };
}

describe('where motifs sit on the flats', () => {
  it('lists each print and each filled panel once, as data, in drawing order', () => {
    const { flat, panel } = printedTee('m1');
    const places = motifPlacements([{ name: 'Printed tee', document: flat }]);
    expect([...places.keys()]).toEqual(['m1']);
    expect(places.get('m1')).toEqual([
      { kind: 'print', name: 'Chest print', flat: 'Printed tee', view: 'front' },
      { kind: 'print', name: '', flat: 'Printed tee', view: 'front' },
      { kind: 'fill', repeatCm: 8, panel, flat: 'Printed tee', view: 'back' },
    ]);
  });

  it('words them for the sheet in both languages, as resolved packs already store them', () => {
    const { flat, panel } = printedTee('m1');
    const text = motifPlacements([{ name: 'Printed tee', document: flat }]).get('m1')!.map(placementSheetText);
    expect(text).toEqual(['Placed print 定位印花 (Chest print), Printed tee front', 'Placed print 定位印花, Printed tee front', `All-over repeat 满版印花 8 cm: ${panel}, Printed tee back`]);
  });

  it('hands the form the placements of every motif on the resolved flats', () => {
    const { flat } = printedTee('m2');
    const tp = { pom: { rows: [] }, bom: [], motifs: [], flats: [{ id: 'f1', version: 1, name: '旗袍', document: flat }] } as unknown as ResolvedTechPack;
    expect(outlineOf(tp).placements.m2?.map((p) => p.kind)).toEqual(['print', 'print', 'fill']);
    expect(outlineOf(tp).placements.m2?.[0]?.flat).toBe('旗袍');
  });
});
