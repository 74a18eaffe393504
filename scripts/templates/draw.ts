import { execute, startEditing, type FlatState } from '../../src/shared/flat/commands/history';
import type { FlatCommandInput } from '../../src/shared/flat/commands/schema';
import { flatten, reverseSubpath, transformSegments } from '../../src/shared/flat/geometry/path';
import { mirrorX } from '../../src/shared/flat/geometry/matrix';
import {
  FLAT_SCHEMA_VERSION,
  type FlatDocument,
  type Point,
  type Segment,
  type ShapeStyle,
  type StitchType,
  type TrimSchema,
  type ViewId,
} from '../../src/shared/flat/schema';
import type { z } from 'zod';
import type { BottomSpec, TemplateSpec, TopSpec } from './garments';

/**
 * Draws a garment template through the same commands the editor uses: every outline is a half
 * drawn from the centre line and mirrored whole, every one-sided detail gets a mirrored twin, and
 * stitching is computed along the seam it follows. x below is measured from the axis (negative:
 * the viewer's left), y from the high point of the shoulder or the waist.
 */
export const PAGE = { width: 1000, height: 1300 };
export const AXIS = PAGE.width / 2;

const OUTLINE: ShapeStyle = {
  stroke: '#1a1a1a', strokeWidth: 1.2, strokeOpacity: 1, dash: null, dashOffset: 0, lineCap: 'round',
  lineJoin: 'round', miterLimit: 4, opacity: 1, fill: '#ffffff', fillOpacity: 1, fillRule: 'nonzero',
};
const SEAM: ShapeStyle = { ...OUTLINE, fill: null, strokeWidth: 0.6 };
const DETAIL: ShapeStyle = { ...OUTLINE, strokeWidth: 0.8 };
const GUIDE: ShapeStyle = { ...SEAM, stroke: '#9b9b9b', strokeWidth: 0.3 };

class Pen {
  readonly segs: Segment[];
  constructor(
    private readonly top: number,
    x: number,
    y: number,
  ) {
    this.segs = [{ kind: 'M', to: this.p(x, y) }];
  }
  p(x: number, y: number): Point {
    return { x: AXIS + x, y: this.top + y };
  }
  L(x: number, y: number): this {
    this.segs.push({ kind: 'L', to: this.p(x, y) });
    return this;
  }
  C(x1: number, y1: number, x2: number, y2: number, x: number, y: number): this {
    this.segs.push({ kind: 'C', c1: this.p(x1, y1), c2: this.p(x2, y2), to: this.p(x, y) });
    return this;
  }
}

/** A half line that ends on the axis, continued by its mirror image: one open symmetric line. */
function mirrorOpen(half: Segment[]): Segment[] {
  const other = reverseSubpath(transformSegments(half, mirrorX(AXIS)));
  return [...half, ...other.slice(1)];
}

/**
 * x where an open half outline crosses height `y` (page units). The last crossing is the body's
 * side seam: earlier ones may be on a sleeve.
 */
function xAt(segs: Segment[], y: number): number {
  const pts = flatten(segs, 0.05)[0]!.points;
  for (let i = pts.length - 1; i >= 1; i--) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    if ((a.y - y) * (b.y - y) <= 0 && a.y !== b.y) return a.x + ((b.x - a.x) * (y - a.y)) / (b.y - a.y);
  }
  throw new Error(`the outline never reaches y=${y}`);
}

class Drawing {
  state: FlatState;
  private n = 0;
  constructor(
    spec: TemplateSpec,
    private view: ViewId,
  ) {
    const layers = [
      { id: 'outline', name: 'Outline', visible: true, locked: false },
      { id: 'seams', name: 'Seams', visible: true, locked: false },
      { id: 'stitching', name: 'Stitching', visible: true, locked: false },
      { id: 'trims', name: 'Trims', visible: true, locked: false },
      { id: 'construction', name: 'Construction', visible: false, locked: false },
    ];
    const doc: FlatDocument = {
      schemaVersion: FLAT_SCHEMA_VERSION,
      id: `template-${spec.id}`,
      name: spec.name,
      units: { name: 'mm', mmPerUnit: 1 },
      page: PAGE,
      views: (['front', 'back'] as const).map((id) => ({ id, axisX: AXIS, layers, items: [], poms: [], groups: [], twins: [], guides: [] })),
      attributes: spec.attributes,
    };
    this.state = startEditing(doc);
  }
  forView(view: ViewId): this {
    this.view = view;
    return this;
  }
  run(cmd: FlatCommandInput): void {
    this.state = execute(this.state, cmd);
  }
  id(prefix: string): string {
    return `${this.view}-${prefix}-${++this.n}`;
  }
  shape(prefix: string, name: string, layerId: string, role: 'panel' | 'seam' | 'detail', segments: Segment[], style: ShapeStyle): string {
    const id = this.id(prefix);
    this.run({ type: 'item.add', viewId: this.view, item: { id, layerId, name, type: 'shape', role, segments, style, fabric: null } });
    return id;
  }
  /** A closed shape from a half outline that starts and ends on the axis. */
  whole(prefix: string, name: string, layerId: string, half: Segment[], style: ShapeStyle, role: 'panel' | 'detail' = 'detail'): string {
    const id = this.shape(prefix, name, layerId, 'seam', half, style);
    this.run({ type: 'mirror.join', viewId: this.view, shapeId: id });
    if (role === 'detail') this.run({ type: 'item.update', viewId: this.view, id, changes: { role } });
    return id;
  }
  /** A one-sided detail and its live mirror image on the other side. */
  pair(prefix: string, name: string, layerId: string, role: 'seam' | 'detail', segments: Segment[], style: ShapeStyle): [string, string] {
    const id = this.shape(prefix, name, layerId, role, segments, style);
    const twin = this.id(`${prefix}-twin`);
    this.run({ type: 'mirror.twin', viewId: this.view, shapeId: id, newId: twin, twinId: this.id('twin') });
    return [id, twin];
  }
  stitch(along: string, stitch: StitchType, offset: number): void {
    this.run({ type: 'stitch.along', viewId: this.view, id: this.id('stitch'), shapeId: along, stitch, offset, layerId: 'stitching', colour: '#333333' });
  }
  trim(trim: z.input<typeof TrimSchema>['trim'], at: Point, size: number, extra: Partial<z.input<typeof TrimSchema>> = {}): void {
    this.run({ type: 'item.add', viewId: this.view, item: { id: this.id(trim), layerId: 'trims', name: trim, type: 'trim', trim, at, size, ...extra } });
  }
  pom(code: string, name: string, a: [string, number], b: [string, number]): void {
    this.run({ type: 'pom.add', viewId: this.view, id: this.id('pom'), code, name, from: { shapeId: a[0], segment: a[1] }, to: { shapeId: b[0], segment: b[1] }, unit: 'cm' });
  }
}

function drawTop(d: Drawing, s: TopSpec, view: ViewId): void {
  const top = 60 + (s.hood?.height ?? 60);
  const neckDepth = view === 'front' ? s.neckFront : s.neckBack;
  const S = { x: -s.shoulder / 2, y: s.drop };
  const A = { x: -s.chest / 2, y: s.armhole };
  const pen = s.hood
    ? new Pen(top, 0, -s.hood.height)
        .C(-s.hood.half * 0.7, -s.hood.height, -s.hood.half, -s.hood.height * 0.6, -s.hood.half, -s.hood.height * 0.3)
        .C(-s.hood.half, -40, -s.neck / 2 - 20, -10, -s.neck / 2 - 10, 8)
    : new Pen(top, 0, neckDepth).C(-s.neck * 0.28, neckDepth, -s.neck / 2, neckDepth * 0.45, -s.neck / 2, 0);
  pen.L(S.x, S.y);
  let cuff: [Point, Point] | null = null;
  let armhole: Segment[] | null = null;
  let dir = { x: 0, y: 0 };
  if (s.sleeve) {
    const r = (s.sleeve.angle * Math.PI) / 180;
    dir = { x: -Math.cos(r), y: Math.sin(r) };
    const perp = { x: Math.sin(r), y: Math.cos(r) };
    const c1 = { x: S.x + dir.x * s.sleeve.length, y: S.y + dir.y * s.sleeve.length };
    const c2 = { x: c1.x + perp.x * s.sleeve.cuff, y: c1.y + perp.y * s.sleeve.cuff };
    cuff = [c1, c2];
    pen.L(c1.x, c1.y).L(c2.x, c2.y).L(A.x, A.y);
  } else {
    pen.C(S.x + 5, S.y + 90, A.x + 40, A.y - 15, A.x, A.y);
  }
  if (s.waist) pen.C(A.x, A.y + 80, -s.waist.half / 2, s.waist.y - 80, -s.waist.half / 2, s.waist.y);
  pen.L(-s.hem / 2, s.length);
  if (s.hemCurve) pen.C(-s.hem * 0.3, s.length, -s.hem * 0.15, s.length + s.hemCurve, 0, s.length + s.hemCurve);
  else pen.L(0, s.length);
  const half = [...pen.segs];
  const body = d.whole('body', view === 'front' ? 'Front' : 'Back', 'outline', pen.segs, OUTLINE, 'panel');
  const P = (x: number, y: number) => pen.p(x, y);

  // Armhole seams and sleeve ends.
  if (s.sleeve && cuff) {
    const [c1, c2] = cuff;
    const arm = new Pen(top, S.x, S.y).C(S.x + 12, S.y + 70, A.x + 25, A.y - 30, A.x, A.y);
    armhole = [...arm.segs];
    d.pair('armhole', 'Armhole seam', 'seams', 'seam', arm.segs, SEAM);
    const inset = s.sleeve.band || 22;
    const line = new Pen(top, c1.x - dir.x * inset, c1.y - dir.y * inset).L(c2.x - dir.x * inset, c2.y - dir.y * inset);
    if (s.sleeve.band) {
      const [cuffSeam, cuffTwin] = d.pair('cuff', s.sleeve.length > 300 ? 'Cuff seam' : 'Sleeve band seam', 'seams', 'seam', line.segs, SEAM);
      d.stitch(cuffSeam, 'topstitch', 3);
      d.stitch(cuffTwin, 'topstitch', -3);
    } else {
      const [hem, hemTwin] = d.pair('sleeve-hem', 'Sleeve hem line', 'construction', 'seam', line.segs, GUIDE);
      d.stitch(hem, s.hemStitch, 0);
      d.stitch(hemTwin, s.hemStitch, 0);
    }
  }

  // Body hem: a band seam where the garment has a band, else stitching on a hidden guide line.
  const hemY = top + s.length - s.hemBand;
  const hemX = xAt(half, hemY) - AXIS;
  const hemHalf = s.hemCurve
    ? new Pen(top, hemX, s.length - s.hemBand).C(-s.hem * 0.3, s.length - s.hemBand, -s.hem * 0.15, s.length + s.hemCurve - s.hemBand, 0, s.length + s.hemCurve - s.hemBand)
    : new Pen(top, hemX, s.length - s.hemBand).L(0, s.length - s.hemBand);
  if (s.hemBand >= 40) {
    const band = d.shape('hem-band', 'Hem band seam', 'seams', 'seam', mirrorOpen(hemHalf.segs), SEAM);
    d.stitch(band, 'topstitch', 3);
  } else {
    const guide = d.shape('hem', 'Hem line', 'construction', 'seam', mirrorOpen(hemHalf.segs), GUIDE);
    d.stitch(guide, s.hemStitch, 0);
  }
  if (s.waist?.seam) {
    const wx = xAt(half, top + s.waist.y) - AXIS;
    d.shape('waist', 'Waist seam', 'seams', 'seam', mirrorOpen(new Pen(top, wx, s.waist.y).L(0, s.waist.y).segs), SEAM);
  }

  // Neck finish, collar and hood.
  if (s.hood) {
    if (view === 'front') {
      const face = new Pen(top, 0, -s.hood.height + 45)
        .C(-s.hood.half * 0.6, -s.hood.height + 45, -s.hood.half + 35, -s.hood.height * 0.5, -s.hood.half + 40, -s.hood.height * 0.2)
        .C(-s.hood.half + 45, -30, -50, s.neckFront - 20, 0, s.neckFront);
      d.whole('hood-opening', 'Hood opening', 'seams', face.segs, { ...DETAIL, fill: '#f2f2f2' });
      const cord = new Pen(top, -35, s.neckFront - 25).C(-38, s.neckFront + 40, -45, s.neckFront + 90, -42, s.neckFront + 150);
      d.pair('drawcord', 'Drawcord', 'trims', 'seam', cord.segs, { ...SEAM, strokeWidth: 1.5 });
      d.trim('eyelet', P(-35, s.neckFront - 25), 8);
      d.trim('eyelet', P(35, s.neckFront - 25), 8);
    } else {
      d.shape('hood-seam', 'Hood centre seam', 'seams', 'seam', new Pen(top, 0, -s.hood.height).L(0, s.neckBack).segs, SEAM);
    }
  } else if (s.collar === 'rib' || !s.collar) {
    const rib = new Pen(top, -s.neck / 2 - 6, 16).C(-s.neck / 2 - 4, neckDepth * 0.6 + 16, -s.neck * 0.3, neckDepth + 20, 0, neckDepth + 20);
    const ribLine = d.shape('rib', 'Neck rib seam', 'seams', 'seam', mirrorOpen(rib.segs), SEAM);
    if (s.hemStitch === 'coverstitch') d.stitch(ribLine, 'coverstitch', 0);
  }
  if (s.collar === 'shirt' || (s.collar === 'rib' && s.closure === 'half-placket')) {
    const spread = s.collar === 'shirt' ? 30 : 20;
    const collar = new Pen(top, 0, -28)
      .C(-s.neck * 0.3, -30, -s.neck / 2 - spread, -20, -s.neck / 2 - spread, 0)
      .L(-s.neck / 2 + 15, neckDepth + spread)
      .L(0, neckDepth - 5);
    d.whole('collar', 'Collar', 'outline', collar.segs, DETAIL);
  } else if (s.collar === 'stand') {
    const stand = new Pen(top, 0, -45).L(-s.neck / 2 - 12, -42).L(-s.neck / 2 - 6, 10).C(-s.neck * 0.3, neckDepth * 0.6, -20, neckDepth, 0, neckDepth);
    d.whole('collar', 'Stand collar', 'outline', stand.segs, DETAIL);
  } else if (s.collar === 'lapel' && view === 'front') {
    const lapel = new Pen(top, 0, -20)
      .L(-s.neck / 2 - 15, -15)
      .L(-s.neck / 2 - 35, 55)
      .L(-s.neck / 2 - 75, 70)
      .L(-90, s.neckFront - 30)
      .L(0, s.neckFront + 20);
    d.whole('lapel', 'Collar and lapels', 'outline', lapel.segs, DETAIL);
  }

  // Closures.
  if (view === 'front') {
    if (s.closure === 'buttons') {
      const placket = new Pen(top, -18, neckDepth + 10).L(-18, s.length + s.hemCurve * 0.95);
      const [l, r] = d.pair('placket', 'Placket edge', 'seams', 'seam', placket.segs, SEAM);
      d.stitch(l, 'topstitch', -3);
      d.stitch(r, 'topstitch', 3);
      for (let y = neckDepth + 25; y < s.length - 40; y += 100) d.trim('button', P(0, y), 11);
    } else if (s.closure === 'half-placket') {
      const placket = new Pen(top, 0, neckDepth - 5).L(-16, neckDepth - 5).L(-16, neckDepth + 150).L(0, neckDepth + 150);
      d.whole('placket', 'Placket', 'outline', placket.segs, DETAIL);
      for (const y of [neckDepth + 25, neckDepth + 75, neckDepth + 125]) d.trim('button', P(0, y), 10);
    } else if (s.closure === 'zip') {
      d.trim('zipper', P(0, -40), 8, { path: [{ kind: 'M', to: P(0, -40) }, { kind: 'L', to: P(0, s.length - 2) }] });
    } else if (s.closure === 'double-breasted') {
      for (let k = 0; k < 3; k++) for (const x of [-80, 80]) d.trim('button', P(x, s.neckFront + 30 + k * 120), 22);
    }
  } else if (s.waist) {
    d.trim('zipper', P(0, s.neckBack), 4, { path: [{ kind: 'M', to: P(0, s.neckBack) }, { kind: 'L', to: P(0, s.waist.y + 120) }] });
  }
  if (view === 'back' && !s.hood) d.trim('label', P(0, s.neckBack + 25), 40, { text: 'size' });
  if (view === 'back' && s.collar === 'shirt') {
    // The yoke ends at the armhole seam, not at the sleeve's outer edge.
    const yoke = new Pen(top, xAt(armhole ?? half, top + 120) - AXIS, 120).L(0, 120);
    const y = d.shape('yoke', 'Back yoke seam', 'seams', 'seam', mirrorOpen(yoke.segs), SEAM);
    d.stitch(y, 'topstitch', 3);
  }

  // Pockets.
  if (view === 'front') {
    if (s.pockets === 'chest') {
      const pocket = new Pen(top, -150, 150).L(-60, 150).L(-60, 260).L(-105, 275).L(-150, 260).L(-150, 150);
      pocket.segs.push({ kind: 'Z' });
      const [l, r] = d.pair('pocket', 'Chest pocket', 'outline', 'detail', pocket.segs, DETAIL);
      d.stitch(l, 'topstitch', 4);
      d.stitch(r, 'topstitch', 4);
    } else if (s.pockets === 'kangaroo') {
      const y0 = s.length - s.hemBand - 250;
      const pouch = new Pen(top, 0, y0).L(-120, y0).L(-185, y0 + 150).L(-190, s.length - s.hemBand).L(0, s.length - s.hemBand);
      const id = d.whole('pouch', 'Kangaroo pocket', 'outline', pouch.segs, DETAIL);
      d.stitch(id, 'doubleNeedle', 6);
    } else if (s.pockets === 'welt') {
      const welt = new Pen(top, -200, 430).L(-140, 400).L(-135, 412).L(-195, 442);
      welt.segs.push({ kind: 'Z' });
      d.pair('welt', 'Welt pocket', 'outline', 'detail', welt.segs, DETAIL);
    } else if (s.pockets === 'flap') {
      const flap = new Pen(top, -240, 560).L(-110, 560).L(-110, 610).L(-240, 610);
      flap.segs.push({ kind: 'Z' });
      const [l, r] = d.pair('flap', 'Pocket flap', 'outline', 'detail', flap.segs, DETAIL);
      d.stitch(l, 'topstitch', 4);
      d.stitch(r, 'topstitch', 4);
    }
  }
  d.pom('HPS-CL', 'High point of shoulder to centre hem', [body, s.hood ? 2 : 1], [body, half.length - 1]);
}

function drawBottom(d: Drawing, s: BottomSpec, view: ViewId): void {
  const top = 120;
  const pen = new Pen(top, 0, 0).L(-s.waist / 2, 0).C(-s.waist / 2 - 15, s.hipDepth * 0.4, -s.hip / 2, s.hipDepth * 0.7, -s.hip / 2, s.hipDepth);
  const skirt = s.crotch === undefined;
  if (skirt) {
    pen.L(-s.hemOut / 2, s.length).C(-s.hemOut * 0.3, s.length + 12, -s.hemOut * 0.15, s.length + 18, 0, s.length + 18);
  } else {
    const inner = -(s.hemIn ?? 40) / 2;
    pen.L(-s.hemOut / 2, s.length).L(inner, s.length).C(inner - 5, s.crotch! + 200, -10, s.crotch! + 25, 0, s.crotch!);
  }
  const half = [...pen.segs];
  const body = d.whole('body', view === 'front' ? 'Front' : 'Back', 'outline', pen.segs, OUTLINE, 'panel');
  const P = (x: number, y: number) => pen.p(x, y);

  const bandX = xAt(half, top + s.band) - AXIS;
  const band = d.shape('waistband', 'Waistband seam', 'seams', 'seam', mirrorOpen(new Pen(top, bandX, s.band).L(0, s.band).segs), SEAM);
  d.stitch(band, s.pockets === 'jeans' ? 'doubleNeedle' : 'topstitch', 4);
  if (s.closure === 'elastic') {
    for (const y of [s.band * 0.35, s.band * 0.7]) {
      const x = xAt(half, top + y) - AXIS;
      const guide = d.shape('shirring', 'Elastic channel', 'construction', 'seam', mirrorOpen(new Pen(top, x, y).L(0, y).segs), GUIDE);
      d.stitch(guide, 'zigzag', 0);
    }
    if (view === 'front') {
      d.trim('eyelet', P(-20, s.band / 2), 6);
      d.trim('eyelet', P(20, s.band / 2), 6);
    }
  }
  if (s.pockets === 'jeans' || s.closure === 'fly') {
    for (const x of [-s.waist / 2 + 25, -s.waist / 5]) {
      const loop = new Pen(top, x - 6, -6).L(x + 6, -6).L(x + 6, s.band + 12).L(x - 6, s.band + 12);
      loop.segs.push({ kind: 'Z' });
      d.pair('loop', 'Belt loop', 'outline', 'detail', loop.segs, DETAIL);
    }
  }

  if (view === 'front') {
    if (s.closure === 'fly') {
      // A fly is drawn on one side only: it is the one asymmetric detail of a five-pocket front.
      const fly = new Pen(top, -38, s.band).L(-38, s.crotch! - 70).C(-38, s.crotch! - 30, -15, s.crotch! - 10, 0, s.crotch! - 12);
      d.run({
        type: 'item.add',
        viewId: 'front',
        item: { id: d.id('fly'), layerId: 'stitching', name: 'Fly topstitch (asymmetric)', type: 'stitch', stitch: 'doubleNeedle', segments: fly.segs, needleGap: 6, style: { stroke: '#333333', strokeWidth: 0.35 } },
      });
      d.trim('button', P(0, s.band / 2), 17);
    }
    if (s.pockets === 'jeans' || s.pockets === 'slant') {
      const jeans = s.pockets === 'jeans';
      const opening = jeans
        ? new Pen(top, -s.waist / 2 + 95, s.band).C(-s.waist / 2 + 90, 95, -s.waist / 2 + 40, 115, xAt(half, top + 120) - AXIS, 120)
        : new Pen(top, -s.waist / 2 + 70, s.band).L(xAt(half, top + 170) - AXIS, 170);
      const [l, r] = d.pair('pocket', 'Front pocket opening', 'seams', 'seam', opening.segs, SEAM);
      d.stitch(l, jeans ? 'doubleNeedle' : 'topstitch', jeans ? 5 : 4);
      d.stitch(r, jeans ? 'doubleNeedle' : 'topstitch', jeans ? -5 : -4);
      if (jeans) for (const x of [-1, 1]) d.trim('rivet', P(x * (s.waist / 2 - 95), s.band + 4), 6);
    }
  } else {
    if (s.pockets === 'jeans') {
      const yokeSide = xAt(half, top + 95) - AXIS;
      const y = d.shape('yoke', 'Back yoke seam', 'seams', 'seam', mirrorOpen(new Pen(top, yokeSide, 95).L(0, 70).segs), SEAM);
      d.stitch(y, 'doubleNeedle', -5);
      const pocket = new Pen(top, -175, 125).L(-45, 120).L(-50, 250).L(-110, 285).L(-165, 255);
      pocket.segs.push({ kind: 'Z' });
      const [l, r] = d.pair('pocket', 'Back patch pocket', 'outline', 'detail', pocket.segs, DETAIL);
      d.stitch(l, 'doubleNeedle', 5);
      d.stitch(r, 'doubleNeedle', 5);
      const loop = new Pen(top, -6, -6).L(6, -6).L(6, s.band + 12).L(-6, s.band + 12);
      loop.segs.push({ kind: 'Z' });
      d.shape('loop', 'Centre back belt loop', 'outline', 'detail', loop.segs, DETAIL);
      d.trim('label', P(0, s.band / 2), 50, { text: 'brand' });
    } else if (s.closure === 'back-zip') {
      d.trim('zipper', P(0, 0), 4, { path: [{ kind: 'M', to: P(0, 0) }, { kind: 'L', to: P(0, 200) }] });
      const dart = new Pen(top, -s.waist / 4, s.band).L(-s.waist / 4 + 4, s.band + 110);
      d.pair('dart', 'Back dart', 'seams', 'seam', dart.segs, SEAM);
    }
  }

  // Hems: across the whole skirt, or one line per leg with its mirrored twin.
  const hemY = s.length - 25;
  if (skirt) {
    const x = xAt(half, top + hemY) - AXIS;
    const guide = new Pen(top, x, hemY).C(-s.hemOut * 0.3, hemY + 12, -s.hemOut * 0.15, hemY + 18, 0, hemY + 18);
    d.stitch(d.shape('hem', 'Hem line', 'construction', 'seam', mirrorOpen(guide.segs), GUIDE), s.hemStitch, 0);
  } else {
    const pts = flatten(half, 0.05)[0]!.points.filter((p) => Math.abs(p.y - (top + hemY)) < 200);
    const xs: number[] = [];
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1]!;
      const b = pts[i]!;
      if ((a.y - top - hemY) * (b.y - top - hemY) <= 0 && a.y !== b.y) xs.push(a.x + ((b.x - a.x) * (top + hemY - a.y)) / (b.y - a.y) - AXIS);
    }
    const [outer, inner] = [Math.min(...xs), Math.max(...xs)];
    const [l, r] = d.pair('hem', 'Leg hem line', 'construction', 'seam', new Pen(top, outer, hemY).L(inner, hemY).segs, GUIDE);
    d.stitch(l, s.hemStitch, 0);
    d.stitch(r, s.hemStitch, 0);
  }
  d.pom(skirt ? 'L' : 'OS', skirt ? 'Length at side' : 'Outseam', [body, 1], [body, 3]);
  // After mirror.join, segment 2h-3 ends on the mirror image of the half's first corner.
  d.pom('W', 'Waist width', [body, 1], [body, 2 * half.length - 3]);
}

export function drawTemplate(spec: TemplateSpec): FlatDocument {
  const d = new Drawing(spec, 'front');
  for (const view of ['front', 'back'] as const) {
    d.forView(view);
    if (spec.shape.kind === 'top') drawTop(d, spec.shape, view);
    else drawBottom(d, spec.shape, view);
  }
  return d.state.doc;
}
