import { Circle, Color, Group, Path, Point as FabricPoint, Rect, util, type FabricObject, type TMat2D } from 'fabric';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SVG_LIMITS,
  exportSvg,
  FlatDocumentSchema,
  parsePathData,
  STITCH_TYPES,
  StitchType,
  TRIM_TYPES,
  trimDrawing,
  type FlatDocument,
  type FlatItem,
  type Segment,
  type TextMark,
} from '../../../../../shared/flat';
import { parseTransform } from '../../../../../shared/flat/svg/transform';
import { parseSvgXml, type XmlElement } from '../../../../../shared/flat/svg/xml';
import { sampleFlat } from '../../../../../shared/flat/testing/fixtures';
import { drawingObject, textBottom } from './marks';
import { itemObject } from './objects';

/**
 * One thing drawn, in document coordinates, as a technician would see it: what kind of stroke or
 * shape, every path command with its points, and how its line is painted. Both the exported SVG and
 * the canvas's fabric objects are reduced to these, so they can be compared.
 */
interface Drawn {
  kind: 'path' | 'circle' | 'rect';
  commands: string[];
  points: number[];
  radius: number | null;
  stroke: string | null;
  width: number;
  dash: number[];
  dashOffset: number;
  lineCap: string;
  lineJoin: string;
  fill: string | null;
  opacity: number;
}

type Mat = TMat2D;
const IDENTITY: Mat = [1, 0, 0, 1, 0, 0];
const at = (m: Mat, x: number, y: number): number[] => {
  const p = util.transformPoint(new FabricPoint(x, y), m);
  return [p.x, p.y];
};
const scaleOf = (m: Mat) => Math.sqrt(Math.abs(m[0] * m[3] - m[1] * m[2]));
const rgba = (c: string | null, alpha = 1): string | null => {
  if (c === null || c === 'none') return null;
  const k = new Color(c);
  return k.setAlpha(k.getAlpha() * alpha).toRgba();
};

// --- the SVG export's side ------------------------------------------------------------------------

function segmentsDrawn(segments: readonly Segment[], m: Mat) {
  const commands: string[] = [];
  const points: number[] = [];
  for (const s of segments) {
    commands.push(s.kind);
    if (s.kind === 'C') points.push(...at(m, s.c1.x, s.c1.y), ...at(m, s.c2.x, s.c2.y));
    if (s.kind === 'Q') points.push(...at(m, s.c.x, s.c.y));
    if (s.kind !== 'Z') points.push(...at(m, s.to.x, s.to.y));
  }
  return { commands, points };
}

function svgDrawn(el: XmlElement, m: Mat): Drawn {
  const a = el.attrs;
  const n = (k: string, d: number) => (a[k] === undefined ? d : Number(a[k]));
  const stroke = rgba(a.stroke ?? null, n('stroke-opacity', 1));
  const paint = {
    stroke,
    // A line with no colour is not drawn, whatever width it is given.
    width: stroke === null ? 0 : n('stroke-width', 1),
    dash: a['stroke-dasharray'] ? a['stroke-dasharray'].split(/[\s,]+/).map(Number) : [],
    dashOffset: n('stroke-dashoffset', 0),
    lineCap: a['stroke-linecap'] ?? 'butt',
    lineJoin: a['stroke-linejoin'] ?? 'miter',
    fill: rgba(a.fill ?? '#000000'),
    opacity: n('opacity', 1),
  };
  switch (el.name) {
    case 'path':
      return { kind: 'path', ...segmentsDrawn(parsePathData(a.d!), m), radius: null, ...paint };
    case 'circle':
      return { kind: 'circle', commands: [], points: at(m, n('cx', 0), n('cy', 0)), radius: n('r', 0) * scaleOf(m), ...paint };
    case 'rect': {
      const [x, y, w, h] = [n('x', 0), n('y', 0), n('width', 0), n('height', 0)];
      return { kind: 'rect', commands: [], points: [...at(m, x, y), ...at(m, x + w, y), ...at(m, x + w, y + h), ...at(m, x, y + h)], radius: null, ...paint };
    }
    default:
      throw new Error(`the export drew a <${el.name}> this test does not read`);
  }
}

/** Everything the export drew for one item, in paint order, with the group transforms applied. */
function exported(svg: XmlElement, id: string): Drawn[] {
  const find = (el: XmlElement, m: Mat): Drawn[] | null => {
    const here = util.multiplyTransformMatrices(m, [...parseTransform(el.attrs.transform)!] as Mat);
    if (el.attrs.id === id) return leaves(el, here);
    for (const c of el.children) {
      const hit = find(c, here);
      if (hit) return hit;
    }
    return null;
  };
  const leaves = (el: XmlElement, m: Mat): Drawn[] =>
    el.name === 'g' ? el.children.flatMap((c) => leaves(c, util.multiplyTransformMatrices(m, [...parseTransform(c.attrs.transform)!] as Mat))) : [svgDrawn(el, m)];
  const found = find(svg, IDENTITY);
  if (!found) throw new Error(`the export has no element "${id}"`);
  return found;
}

// --- the canvas's side ----------------------------------------------------------------------------

function fabricDrawn(obj: FabricObject): Drawn {
  const m = obj.calcTransformMatrix();
  const stroke = typeof obj.stroke === 'string' ? rgba(obj.stroke) : null;
  const paint = {
    stroke,
    width: stroke === null ? 0 : obj.strokeWidth,
    dash: obj.strokeDashArray ? [...obj.strokeDashArray] : [],
    dashOffset: obj.strokeDashOffset,
    lineCap: obj.strokeLineCap,
    lineJoin: obj.strokeLineJoin,
    fill: typeof obj.fill === 'string' ? rgba(obj.fill) : null,
    opacity: obj.opacity,
  };
  if (obj instanceof Path) {
    // fabric draws a path's own coordinates shifted by pathOffset, inside the object's matrix.
    const o = obj.pathOffset;
    const commands: string[] = [];
    const points: number[] = [];
    for (const [command, ...xy] of obj.path) {
      commands.push(command);
      for (let i = 0; i < xy.length; i += 2) points.push(...at(m, (xy[i] as number) - o.x, (xy[i + 1] as number) - o.y));
    }
    return { kind: 'path', commands, points, radius: null, ...paint };
  }
  if (obj instanceof Circle) return { kind: 'circle', commands: [], points: at(m, 0, 0), radius: obj.radius * scaleOf(m), ...paint };
  if (obj instanceof Rect) {
    const [w, h] = [obj.width / 2, obj.height / 2];
    return { kind: 'rect', commands: [], points: [...at(m, -w, -h), ...at(m, w, -h), ...at(m, w, h), ...at(m, -w, h)], radius: null, ...paint };
  }
  throw new Error(`the canvas drew a ${obj.constructor.name} this test does not read`);
}

const canvasLeaves = (obj: FabricObject): FabricObject[] => (obj instanceof Group ? obj.getObjects().flatMap(canvasLeaves) : [obj]);
const drawnOnCanvas = (item: FlatItem): Drawn[] => canvasLeaves(itemObject(item, new Map(), 10)).map(fabricDrawn);

// --- the flat under test --------------------------------------------------------------------------

const curve: Segment[] = [
  { kind: 'M', to: { x: 10, y: 10 } },
  { kind: 'C', c1: { x: 30, y: 0 }, c2: { x: 50, y: 30 }, to: { x: 70, y: 20 } },
  { kind: 'L', to: { x: 90, y: 40 } },
];
const pen = { stroke: '#112233', strokeWidth: 0.4 };
/** Each stitch kind plain, with a style of its own (dash, offset, caps, opacities), and closed. */
const stitchVariants = (kind: StitchType) => [
  { id: `${kind}-plain`, segments: curve, style: pen },
  {
    id: `${kind}-styled`,
    segments: curve,
    stitchLength: 3,
    spacing: 1,
    needleGap: 4,
    zigzagWidth: 2,
    style: { ...pen, dash: [4, 1, 1, 1], dashOffset: 1, lineCap: 'butt', lineJoin: 'bevel', opacity: 0.5, strokeOpacity: 0.75 },
  },
  { id: `${kind}-closed`, segments: [...curve, { kind: 'Z' }], needleGap: 8, style: { ...pen, lineCap: 'square' } },
];

function flat(): FlatDocument {
  const base = sampleFlat();
  const stitches = StitchType.options.flatMap((kind) => stitchVariants(kind).map((v) => ({ layerId: 'details', type: 'stitch', stitch: kind, ...v })));
  const trims = TRIM_TYPES.map((trim, i) => ({ id: `trim-${trim}`, layerId: 'details', type: 'trim', trim, at: { x: 20 + i * 15, y: 150 }, size: 8, rotation: 30, colour: '#aa0000' }));
  const zipper = { id: 'zipper-path', layerId: 'details', type: 'trim', trim: 'zipper', at: { x: 0, y: 0 }, size: 6, rotation: 45, path: curve };
  const label = { id: 'care-label', layerId: 'details', type: 'trim', trim: 'label', at: { x: 50, y: 60 }, size: 20, text: 'Care' };
  const front = base.views[0]!;
  return FlatDocumentSchema.parse({ ...base, views: [{ ...front, items: [...front.items, ...stitches, ...trims, zipper, label] }, ...base.views.slice(1)] });
}

function expectSameDrawing(canvas: Drawn[], svg: Drawn[]): void {
  expect(canvas.map((d) => d.kind)).toEqual(svg.map((d) => d.kind));
  canvas.forEach((c, i) => {
    const s = svg[i]!;
    expect({ ...c, points: c.points.length, radius: null }).toEqual({ ...s, points: s.points.length, radius: null });
    c.points.forEach((v, k) => expect(v).toBeCloseTo(s.points[k]!, 6));
    if (s.radius !== null) expect(c.radius).toBeCloseTo(s.radius, 6);
  });
}

describe('the canvas and the SVG export draw the same stitches and trims', () => {
  const doc = flat();
  const svg = parseSvgXml(exportSvg(doc), DEFAULT_SVG_LIMITS);
  const items = new Map(doc.views[0]!.items.map((i) => [i.id, i]));

  it.each([...STITCH_TYPES])('draws a %s with the same rows, points and dashes', (kind) => {
    for (const { id } of stitchVariants(kind)) expectSameDrawing(drawnOnCanvas(items.get(id)!), exported(svg, id));
  });

  it('draws as many needle rows as the stitch has needles, the export and the canvas alike', () => {
    const rows = (id: string) => [drawnOnCanvas(items.get(id)!).length, exported(svg, id).length];
    expect(rows('topstitch-plain')).toEqual([1, 1]);
    expect(rows('doubleNeedle-plain')).toEqual([2, 2]);
    expect(rows('coverstitch-plain')).toEqual([3, 3]);
    // A zigzag is its thread: solid, with a point at every swing rather than a dash pattern.
    const [zigzag] = drawnOnCanvas(items.get('zigzag-styled')!);
    expect(zigzag!.dash).toEqual([]);
    expect(zigzag!.points.length).toBeGreaterThan(40);
  });

  it.each([...TRIM_TYPES])('draws a %s trim with the same marks in the same place', (trim) => {
    expectSameDrawing(drawnOnCanvas(items.get(`trim-${trim}`)!), exported(svg, `trim-${trim}`));
  });

  it('lays a zipper on its path where the export lays it, whatever its rotation', () => {
    expectSameDrawing(drawnOnCanvas(items.get('zipper-path')!), exported(svg, 'zipper-path'));
  });

  it("sets a label's text on the baseline the export writes", () => {
    // fabric cannot measure text without a DOM canvas, so the text mark is checked where the canvas
    // adapter turns it into fabric's box: its bottom sits one descent under the exported baseline.
    const label = items.get('care-label');
    if (label?.type !== 'trim') throw new Error('no care label');
    const all = (e: XmlElement): XmlElement[] => [e, ...e.children.flatMap(all)];
    const group = all(svg).find((e) => e.attrs.id === 'care-label')!;
    const text = all(group).find((e) => e.name === 'text')!;
    const mark = trimDrawing(label).marks.find((m): m is TextMark => m.kind === 'text')!;
    expect(text.text).toBe(mark.text);
    expect(Number(text.attrs['font-size'])).toBe(mark.fontSize);
    expect(Number(text.attrs.y)).toBe(mark.at.y);
    expect(textBottom(mark) - mark.at.y).toBeCloseTo(mark.fontSize * 1.13 * 0.222, 9);
  });
});

describe('placing a drawing on the canvas', () => {
  it('turns marks about the local origin, not about the middle of what is drawn', () => {
    const obj = drawingObject({
      placement: { at: { x: 50, y: 50 }, rotation: 90 },
      marks: [
        { kind: 'circle', centre: { x: 10, y: 0 }, r: 1, fill: '#000000', pen: null },
        { kind: 'rect', x: 20, y: -1, width: 4, height: 2, fill: '#000000', pen: null },
      ],
    });
    const [dot, tab] = canvasLeaves(obj).map(fabricDrawn);
    // A quarter turn clockwise on a y-down page takes +x to +y.
    expect(dot!.points[0]).toBeCloseTo(50, 9);
    expect(dot!.points[1]).toBeCloseTo(60, 9);
    [51, 70, 51, 74, 49, 74, 49, 70].forEach((v, k) => expect(tab!.points[k]).toBeCloseTo(v, 9));
  });
});
