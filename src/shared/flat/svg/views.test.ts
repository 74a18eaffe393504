import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testFixture } from '../../../main/test-fixtures';
import { anchorPoint, unionBoxes } from '../geometry/path';
import { itemBounds } from '../commands/items';
import type { FlatView } from '../schema';
import { importSvg } from './import';
import { viewOfName } from './views';

/** Small drawings of one tee, front (deep neck) and back (shallow neck): test-fixtures/flat_views. */
const fixture = (name: string) => fs.readFileSync(testFixture('flat_views', name), 'utf8');
const freesewing = (name: string) => fs.readFileSync(testFixture('garment_flats', 'flats_svg', `${name}.svg`), 'utf8');
const auto = (text: string) => importSvg(text, { views: 'auto' });
const box = (view: FlatView) => unionBoxes(view.items.map(itemBounds))!;
/** The neck's lowest point on the view's outline: deep on the front, shallow on the back (in mm). */
const neckDepth = (view: FlatView) => {
  const outline = view.items.find((i) => i.type === 'shape' && i.role === 'panel');
  if (outline?.type !== 'shape') throw new Error('no outline');
  const [hps, neck] = outline.segments.map((s) => anchorPoint([s], 0)!);
  return Math.round((neck!.y - hps!.y) / (25.4 / 96));
};

describe('view names', () => {
  it('reads front, back, 正面 and 背面 in any case, with filler words around them', () => {
    for (const name of ['front', 'FRONT', 'Front view', 'layer-front', 'frontView', 'front_2', '正面', '正面视图', 'view: 正面']) expect(viewOfName(name), name).toBe('front');
    for (const name of ['back', 'Back', 'BACK VIEW', 'back-side', 'BackView', '背面', '背面图层']) expect(viewOfName(name), name).toBe('back');
  });

  it('reads no view in names that only contain the word', () => {
    for (const name of ['background', 'backstitch', 'front pocket', 'Back yoke', 'front and back', 'Layer 1', '', undefined]) expect(viewOfName(name), String(name)).toBeNull();
  });
});

describe('splitting an imported drawing into front and back', () => {
  it('follows named groups, even with the back drawn on the left', () => {
    const { doc, views } = auto(fixture('named-groups.svg'));
    expect(views).toEqual({ by: 'names' });
    const [front, back] = doc.views;
    expect([front!.id, back!.id]).toEqual(['front', 'back']);
    expect(neckDepth(front!)).toBe(18);
    expect(neckDepth(back!)).toBe(4);
    // Each view is one tee: the outline, its neck seam and its hem stitching.
    expect(front!.items.map((i) => i.type)).toEqual(['shape', 'shape', 'stitch']);
    expect(back!.items.map((i) => i.type)).toEqual(['shape', 'shape', 'stitch']);
    // The front, drawn on the right, comes over to the back's place on a page half as wide.
    expect(box(front!).minX).toBeCloseTo(box(back!).minX, 6);
    expect(doc.page.width).toBeLessThan(0.55 * 460 * (25.4 / 96));
  });

  it('follows 正面/背面 layers drawn over each other, and shows the back layer hidden for the front', () => {
    const { doc, views } = auto(fixture('layers-zh.svg'));
    expect(views).toEqual({ by: 'names' });
    const [front, back] = doc.views;
    expect(neckDepth(front!)).toBe(18);
    expect(neckDepth(back!)).toBe(4);
    expect(front!.layers.map((l) => [l.name, l.visible])).toEqual([['正面', true]]);
    expect(back!.layers.map((l) => [l.name, l.visible])).toEqual([['背面', true]]);
    // Drawn in one place, each view stays where it was.
    expect(box(front!)).toEqual(box(back!));
    expect(doc.page.width).toBeCloseTo(460 * (25.4 / 96), 6);
  });

  it('reads a view from a class, and puts unnamed things with the named view nearest them', () => {
    const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200">${body}</svg>`;
    const { doc, views } = auto(
      svg(
        '<g class="garment FRONT"><rect x="10" y="10" width="100" height="150"/></g><g class="garment back"><rect x="250" y="10" width="100" height="150"/></g>' +
          '<text x="20" y="190">Front</text><text x="260" y="190">Back</text>',
      ),
    );
    expect(views).toEqual({ by: 'names' });
    expect(doc.views.map((v) => v.items.map((i) => i.type))).toEqual([
      ['shape', 'callout'],
      ['shape', 'callout'],
    ]);
    expect(doc.views[1]!.items[1]).toMatchObject({ text: 'Back' });
  });

  it('splits two unlabelled garments side by side at the gap: the left one is the front', () => {
    const { doc, views } = auto(fixture('side-by-side.svg'));
    expect(views).toEqual({ by: 'gap', axis: 'x' });
    const [front, back] = doc.views;
    expect(neckDepth(front!)).toBe(18);
    expect(neckDepth(back!)).toBe(4);
    expect(front!.items.map((i) => i.type)).toEqual(['shape', 'shape', 'stitch']);
    expect(back!.items.map((i) => i.type)).toEqual(['shape', 'shape', 'stitch']);
    // Each view has its centre line, and the back sits where the front does.
    expect(front!.axisX).toBeCloseTo(110 * (25.4 / 96), 6);
    expect(back!.axisX).toBeCloseTo(front!.axisX!, 6);
  });

  it('splits a real FreeSewing flat drawn as one path, side by side, and one drawn above the other', () => {
    const aaron = auto(freesewing('aaron'));
    expect(aaron.views).toEqual({ by: 'gap', axis: 'x' });
    const whole = importSvg(freesewing('aaron')).doc.views[0]!;
    const segments = (views: FlatView[]) => views.flatMap((v) => v.items).reduce((n, i) => n + ('segments' in i ? i.segments.length : 0), 0);
    expect(segments(aaron.doc.views)).toBe(segments([whole]));
    expect(aaron.doc.views.map((v) => v.items.length > 0)).toEqual([true, true]);
    const shin = auto(freesewing('shin'));
    expect(shin.views).toEqual({ by: 'gap', axis: 'y' });
    expect(box(shin.doc.views[0]!).maxY).toBeLessThan(shin.doc.page.height);
  });

  it('splits two views drawn close together (a gap under 1% of the drawing, as FreeSewing draws its jacket), not two a hairline apart', () => {
    // Two garments 127 mm wide on a 256 mm drawing, `gap` mm apart (jaeger: 2.2 mm).
    const svg = (gap: number) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="300mm" height="220mm" viewBox="0 0 300 220">` +
      `<path d="M 0 10 L 127 10 L 127 210 L 0 210 Z"/><path d="M ${127 + gap} 10 L ${254 + gap} 10 L ${254 + gap} 210 L ${127 + gap} 210 Z"/></svg>`;
    expect(auto(svg(2.2)).views).toEqual({ by: 'gap', axis: 'x' });
    expect(auto(svg(2.2)).doc.views.map((v) => v.items.length)).toEqual([1, 1]);
    expect(auto(svg(0.5)).views).toEqual({ by: 'one' });
  });

  it('keeps a single garment one view: beside its care label, and a real flat', () => {
    const single = auto(fixture('single.svg'));
    expect(single.views).toEqual({ by: 'one' });
    expect(single.doc.views.map((v) => v.id)).toEqual(['front']);
    expect(single.doc.views[0]!.items.map((i) => i.type)).toEqual(['shape', 'shape', 'stitch', 'shape', 'callout']);
    const lucy = auto(freesewing('lucy'));
    expect(lucy.views).toEqual({ by: 'one' });
    expect(lucy.doc.views).toHaveLength(1);
  });

  it('leaves everything in one view unless asked to look for two', () => {
    const { doc, views } = importSvg(fixture('side-by-side.svg'));
    expect(views).toEqual({ by: 'one' });
    expect(doc.views).toHaveLength(1);
    expect(doc.views[0]!.items).toHaveLength(6);
  });
});
