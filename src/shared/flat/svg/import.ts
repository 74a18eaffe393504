import { AppError } from '../../contract/errors';
import { arcToCubics } from '../geometry/arc';
import { IDENTITY, applyToPoint, meanScale, multiply, scale, translate, type Matrix } from '../geometry/matrix';
import { isClosed, transformSegments } from '../geometry/path';
import { PathDataError, parsePathData } from '../geometry/pathdata';
import {
  FLAT_SCHEMA_VERSION,
  FlatDocumentSchema,
  type FlatDocument,
  type FlatItem,
  type Group,
  type Layer,
  type Point,
  type Segment,
  type ShapeStyle,
  type StrokeStyle,
  type ViewId,
} from '../schema';
import { scaleForKnown, type KnownMeasurement } from '../scale';
import { parseDeclarations, parseStylesheet, unescapeCss, type Stylesheet } from './css';
import { DEFAULT_SVG_LIMITS, formatMm, type SvgLimits } from './limits';
import { INITIAL_STYLE, computeStyle, parseColourValue, parseLength, type ComputedStyle, type Paint } from './style';
import { itemBounds } from '../commands/items';
import { parseTransform } from './transform';
import { splitViews, viewOfElement, type ViewMode, type ViewsFound } from './views';
import { isForeign, localName, parseSvgXml, type XmlElement } from './xml';

/** What the import kept, approximated and left out, so a technician knows what to check. */
export interface FidelityReport {
  imported: Record<string, number>;
  stitchLines: number;
  approximated: { what: string; count: number }[];
  dropped: { what: string; count: number }[];
}

export interface SvgImportOptions {
  id?: string;
  name?: string;
  limits?: Partial<SvgLimits>;
  /**
   * 'one' (the default): everything in the front view. 'auto': front and back found by the names of
   * groups and layers, else by a gap between two garments (see views.ts); one view when neither.
   * 'split': the left half of the page is the front and the right half the back, whatever is there.
   */
  views?: ViewMode;
  /**
   * One length the technician knows, in cm, that sets the flat's scale (measured on the front as
   * scale.ts says). Without it the drawing keeps the scale of its page.
   */
  known?: { measurement: KnownMeasurement; cm: number };
  category?: FlatDocument['attributes']['category'];
  /** Dashes no longer than this (mm) on an unfilled line read as stitches. */
  stitchDashMaxMm?: number;
}

export interface SvgImportResult {
  doc: FlatDocument;
  report: FidelityReport;
  /** How the views were told apart, so the import can say so (and a technician can overrule it). */
  views: ViewsFound;
}

const NEVER_DRAWN = new Set([
  'defs', 'metadata', 'title', 'desc', 'marker', 'clipPath', 'mask', 'pattern', 'linearGradient',
  'radialGradient', 'filter', 'style', 'symbol', 'namedview', 'font', 'font-face', 'view', 'cursor',
]);
const CONTAINERS = new Set(['g', 'a', 'switch', 'svg']);
const SHAPES = new Set(['path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon']);

const KAPPA = 0.5522847498307936;

function ellipseSegments(cx: number, cy: number, rx: number, ry: number): Segment[] {
  const kx = rx * KAPPA;
  const ky = ry * KAPPA;
  return [
    { kind: 'M', to: { x: cx + rx, y: cy } },
    { kind: 'C', c1: { x: cx + rx, y: cy + ky }, c2: { x: cx + kx, y: cy + ry }, to: { x: cx, y: cy + ry } },
    { kind: 'C', c1: { x: cx - kx, y: cy + ry }, c2: { x: cx - rx, y: cy + ky }, to: { x: cx - rx, y: cy } },
    { kind: 'C', c1: { x: cx - rx, y: cy - ky }, c2: { x: cx - kx, y: cy - ry }, to: { x: cx, y: cy - ry } },
    { kind: 'C', c1: { x: cx + kx, y: cy - ry }, c2: { x: cx + rx, y: cy - ky }, to: { x: cx + rx, y: cy } },
    { kind: 'Z' },
  ];
}

function rectSegments(x: number, y: number, w: number, h: number, rxIn: number | null, ryIn: number | null): Segment[] {
  let rx = rxIn ?? ryIn ?? 0;
  let ry = ryIn ?? rxIn ?? 0;
  rx = Math.min(Math.max(rx, 0), w / 2);
  ry = Math.min(Math.max(ry, 0), h / 2);
  if (rx === 0 || ry === 0)
    return [
      { kind: 'M', to: { x, y } },
      { kind: 'L', to: { x: x + w, y } },
      { kind: 'L', to: { x: x + w, y: y + h } },
      { kind: 'L', to: { x, y: y + h } },
      { kind: 'Z' },
    ];
  const arc = (from: Point, to: Point): Segment[] => arcToCubics(from, rx, ry, 0, false, true, to).map((c) => ({ kind: 'C', ...c }));
  return [
    { kind: 'M', to: { x: x + rx, y } },
    { kind: 'L', to: { x: x + w - rx, y } },
    ...arc({ x: x + w - rx, y }, { x: x + w, y: y + ry }),
    { kind: 'L', to: { x: x + w, y: y + h - ry } },
    ...arc({ x: x + w, y: y + h - ry }, { x: x + w - rx, y: y + h }),
    { kind: 'L', to: { x: x + rx, y: y + h } },
    ...arc({ x: x + rx, y: y + h }, { x, y: y + h - ry }),
    { kind: 'L', to: { x, y: y + ry } },
    ...arc({ x, y: y + ry }, { x: x + rx, y }),
    { kind: 'Z' },
  ];
}

function pointsSegments(text: string, close: boolean): Segment[] {
  const nums = text.split(/[\s,]+/).filter(Boolean).map(Number);
  if (nums.some((n) => !Number.isFinite(n))) return [];
  const segs: Segment[] = [];
  for (let i = 0; i + 1 < nums.length; i += 2) segs.push({ kind: i === 0 ? 'M' : 'L', to: { x: nums[i]!, y: nums[i + 1]! } });
  if (close && segs.length) segs.push({ kind: 'Z' });
  return segs;
}

/** The page size in mm and the matrix from the root's user units to mm (viewBox, meet, centred). */
function pageOf(root: XmlElement): { width: number; height: number; toMm: Matrix } {
  const PX_MM = 25.4 / 96;
  const vb = (root.attrs.viewBox ?? '').split(/[\s,]+/).filter(Boolean).map(Number);
  const hasVb = vb.length === 4 && vb.every(Number.isFinite) && vb[2]! > 0 && vb[3]! > 0;
  const wAttr = parseLength(root.attrs.width);
  const hAttr = parseLength(root.attrs.height);
  const wPx = wAttr && wAttr > 0 ? wAttr : hasVb ? vb[2]! : 1000;
  const hPx = hAttr && hAttr > 0 ? hAttr : hasVb ? vb[3]! : 1000;
  const width = wPx * PX_MM;
  const height = hPx * PX_MM;
  if (!hasVb) return { width, height, toMm: scale(PX_MM) };
  const [vx, vy, vw, vh] = vb as [number, number, number, number];
  const k = Math.min(width / vw, height / vh);
  return { width, height, toMm: multiply(translate((width - vw * k) / 2 - vx * k, (height - vh * k) / 2 - vy * k), scale(k)) };
}

function checkPage(page: { width: number; height: number }, limits: SvgLimits): void {
  const fits = (mm: number) => Number.isFinite(mm) && mm >= limits.minPageMm && mm <= limits.maxPageMm;
  if (!fits(page.width) || !fits(page.height))
    throw new AppError(
      'INVALID_INPUT',
      `The SVG's page is ${formatMm(page.width)} × ${formatMm(page.height)}; a flat's page is ${formatMm(limits.minPageMm)} to ${formatMm(limits.maxPageMm)} on each side.`,
    );
}

class Importer {
  readonly items: FlatItem[] = [];
  readonly layers: Layer[] = [];
  readonly groups: Group[] = [];
  readonly report: FidelityReport = { imported: {}, stitchLines: 0, approximated: [], dropped: [] };
  private readonly ids = new Set<string>();
  private readonly suffix = new Map<string, number>();
  private readonly byId = new Map<string, XmlElement>();
  private segmentsSeen = 0;
  private emitted = 0;
  private currentLayer: Layer | null = null;
  private looseLayer: Layer | null = null;
  /** The view named by the outermost named group or layer being walked. */
  private side: ViewId | null = null;
  /** Items inside a container named after a view, and the layers that are named after one. */
  readonly sides = new Map<string, ViewId>();
  readonly viewLayers = new Set<string>();

  constructor(
    private readonly sheet: Stylesheet,
    private readonly limits: SvgLimits,
    private readonly stitchDashMaxMm: number,
    root: XmlElement,
  ) {
    const index = (el: XmlElement) => {
      if (el.attrs.id && !this.byId.has(el.attrs.id)) this.byId.set(el.attrs.id, el);
      el.children.forEach(index);
    };
    index(root);
  }

  private count(bucket: 'approximated' | 'dropped', what: string): void {
    const list = this.report[bucket];
    const hit = list.find((e) => e.what === what);
    if (hit) hit.count++;
    else list.push({ what, count: 1 });
  }

  private freshId(wanted: string | undefined, fallback: string): string {
    const base = wanted && /^[\w.:-]{1,100}$/.test(wanted) ? wanted : fallback;
    let id = base;
    // Remember where each base's suffixes got to: <use> can repeat one id thousands of times.
    let n = this.suffix.get(base) ?? 1;
    while (this.ids.has(id)) id = `${base}-${++n}`;
    this.suffix.set(base, n);
    this.ids.add(id);
    return id;
  }

  private newLayer(name: string, visible: boolean, wantedId: string | undefined): Layer {
    const layer: Layer = { id: this.freshId(wantedId ? `layer-${wantedId}` : undefined, `layer-${this.layers.length + 1}`), name, visible, locked: false };
    this.layers.push(layer);
    return layer;
  }

  /** Loose drawing outside any Inkscape layer goes to a layer of its own, keeping paint order. */
  private layerForLoose(): Layer {
    if (this.currentLayer) return this.currentLayer;
    if (!this.looseLayer) this.looseLayer = this.newLayer(this.layers.length ? `Drawing ${this.layers.length + 1}` : 'Drawing', true, undefined);
    return this.looseLayer;
  }

  private resolvePaint(paint: Paint, what: 'fill' | 'stroke'): string | null {
    if (paint.kind === 'none') return null;
    if (paint.kind === 'colour') return paint.value;
    // Gradients become their first stop's colour: flats use them for shading, not for meaning.
    let el = this.byId.get(paint.id);
    for (let hops = 0; el && hops < 8; hops++) {
      const stop = el.children.find((c) => localName(c) === 'stop');
      if (stop) {
        const st = computeStyle(stop, INITIAL_STYLE, this.sheet);
        const attr = stop.attrs['stop-color'];
        const declared = parseDeclarations(stop.attrs.style ?? '').findLast((d) => d.property === 'stop-color')?.value ?? (attr === undefined ? undefined : unescapeCss(attr));
        this.count('approximated', `${what} gradient drawn as a flat colour`);
        return declared === undefined ? st.color : (parseColourValue(declared, st.color) ?? '#000000');
      }
      const href = el.attrs['xlink:href'] ?? el.attrs.href;
      el = href?.startsWith('#') ? this.byId.get(href.slice(1)) : undefined;
    }
    this.count('dropped', `${what} paint server (pattern or missing gradient)`);
    return paint.fallback;
  }

  walk(el: XmlElement, ctm: Matrix, parentStyle: ComputedStyle, depth: number, groupId: string | null, useDepth: number): void {
    if (++this.emitted > this.limits.maxElements)
      throw new AppError('INVALID_INPUT', `The SVG expands to more than ${this.limits.maxElements} elements (through <use>).`);
    for (const child of el.children) {
      if (isForeign(child)) continue;
      const name = localName(child);
      if (NEVER_DRAWN.has(name)) continue;
      const style = computeStyle(child, parentStyle, this.sheet);
      const isLayer = name === 'g' && child.attrs['inkscape:groupmode'] === 'layer';
      // A hidden Inkscape layer is still part of the drawing: import it as a hidden layer.
      if (!style.display && !isLayer) continue;
      const local = parseTransform(child.attrs.transform);
      if (local === null) this.count('dropped', 'malformed transform (ignored)');
      const m = multiply(ctm, local ?? IDENTITY);
      if (CONTAINERS.has(name)) {
        const savedSide = this.side;
        const named = this.side === null ? viewOfElement(child.attrs) : null;
        this.side ??= named;
        let inner = m;
        if (name === 'svg') {
          const x = parseLength(child.attrs.x) ?? 0;
          const y = parseLength(child.attrs.y) ?? 0;
          // Its viewBox maps to mm; scaling back by px/mm lands in the parent's user units.
          inner = multiply(m, multiply(translate(x, y), multiply(scale(96 / 25.4), pageOf(child).toMm)));
        }
        if (isLayer) {
          const saved = this.currentLayer;
          const parentName = saved ? `${saved.name} / ` : '';
          this.currentLayer = this.newLayer(`${parentName}${child.attrs['inkscape:label'] ?? child.attrs.id ?? 'Layer'}`, style.display && (saved?.visible ?? true), child.attrs.id);
          if (named) this.viewLayers.add(this.currentLayer.id);
          this.walk(child, inner, { ...style, display: true }, depth + 1, null, useDepth);
          this.currentLayer = saved;
          this.looseLayer = null;
        } else {
          let gid = groupId;
          if (gid === null && name === 'g') {
            gid = this.freshId(child.attrs.id, `group-${this.groups.length + 1}`);
            this.groups.push({ id: gid, name: child.attrs['inkscape:label'] ?? '', memberIds: [] });
          }
          this.walk(child, inner, style, depth + 1, gid, useDepth);
        }
        this.side = savedSide;
        continue;
      }
      if (name === 'use') {
        this.use(child, m, style, depth, groupId, useDepth);
        continue;
      }
      if (!style.visible) continue;
      if (SHAPES.has(name)) this.shape(child, name, m, style, groupId);
      else if (name === 'text') this.text(child, m, style, groupId);
      else this.count('dropped', `<${name}>`);
    }
  }

  private use(el: XmlElement, m: Matrix, style: ComputedStyle, depth: number, groupId: string | null, useDepth: number): void {
    const href = el.attrs['xlink:href'] ?? el.attrs.href ?? '';
    const target = href.startsWith('#') ? this.byId.get(href.slice(1)) : undefined;
    if (!target) {
      this.count('dropped', '<use> of a missing element');
      return;
    }
    if (useDepth >= this.limits.maxUseDepth)
      throw new AppError('INVALID_INPUT', `The SVG nests <use> references deeper than ${this.limits.maxUseDepth} (or in a loop).`);
    const x = parseLength(el.attrs.x) ?? 0;
    const y = parseLength(el.attrs.y) ?? 0;
    const at = multiply(m, translate(x, y));
    // The referenced element is drawn as if it were the only child of a group in place of the <use>.
    const holder: XmlElement = {
      name: 'g',
      attrs: {},
      children: localName(target) === 'symbol' ? target.children : [target],
      text: '',
      parent: el,
    };
    this.walk(holder, at, style, depth + 1, groupId, useDepth + 1);
  }

  private geometry(el: XmlElement, name: string): Segment[] {
    const n = (k: string) => parseLength(el.attrs[k]) ?? 0;
    switch (name) {
      case 'path':
        try {
          return parsePathData(el.attrs.d ?? '', this.limits.maxPathSegments - this.segmentsSeen);
        } catch (e) {
          if (e instanceof PathDataError && e.message.startsWith('more than'))
            throw new AppError('INVALID_INPUT', `The SVG has more than ${this.limits.maxPathSegments} path segments.`);
          if (e instanceof PathDataError) {
            this.count('dropped', `path with malformed data (${e.message})`);
            return [];
          }
          throw e;
        }
      case 'rect': {
        const w = n('width');
        const h = n('height');
        return w > 0 && h > 0 ? rectSegments(n('x'), n('y'), w, h, parseLength(el.attrs.rx), parseLength(el.attrs.ry)) : [];
      }
      case 'circle':
        return n('r') > 0 ? ellipseSegments(n('cx'), n('cy'), n('r'), n('r')) : [];
      case 'ellipse':
        return n('rx') > 0 && n('ry') > 0 ? ellipseSegments(n('cx'), n('cy'), n('rx'), n('ry')) : [];
      case 'line':
        return [
          { kind: 'M', to: { x: n('x1'), y: n('y1') } },
          { kind: 'L', to: { x: n('x2'), y: n('y2') } },
        ];
      case 'polyline':
        return pointsSegments(el.attrs.points ?? '', false);
      case 'polygon':
        return pointsSegments(el.attrs.points ?? '', true);
    }
    return [];
  }

  private shape(el: XmlElement, name: string, m: Matrix, style: ComputedStyle, groupId: string | null): void {
    const local = this.geometry(el, name);
    this.segmentsSeen += local.length;
    if (this.segmentsSeen > this.limits.maxPathSegments)
      throw new AppError('INVALID_INPUT', `The SVG has more than ${this.limits.maxPathSegments} path segments.`);
    if (local.length === 0) return;
    if (style.markers) this.count('dropped', 'line-end markers');
    for (const e of style.effects) this.count('dropped', `${e} effect`);
    const k = meanScale(m);
    const sx = Math.hypot(m[0], m[1]);
    const sy = Math.hypot(m[2], m[3]);
    // The document keeps one width per stroke; a squashed stroke becomes its mean width.
    if (style.stroke.kind !== 'none' && Math.abs(sx - sy) > 0.01 * Math.max(sx, sy))
      this.count('approximated', 'stroke under a non-uniform scale drawn at its mean width');
    const segments = transformSegments(local, m);
    const fill = this.resolvePaint(style.fill, 'fill');
    const strokeColour = this.resolvePaint(style.stroke, 'stroke');
    const stroke: StrokeStyle = {
      stroke: strokeColour,
      strokeWidth: style.strokeWidth * k,
      strokeOpacity: style.strokeOpacity,
      dash: style.dash ? style.dash.map((d) => d * k) : null,
      dashOffset: style.dashOffset * k,
      lineCap: style.lineCap,
      lineJoin: style.lineJoin,
      miterLimit: style.miterLimit,
      opacity: style.opacity,
    };
    const layer = this.layerForLoose();
    const closed = isClosed(segments);
    const looksStitched =
      stroke.dash !== null && strokeColour !== null && fill === null && stroke.dash.every((d) => d <= this.stitchDashMaxMm);
    let item: FlatItem;
    if (looksStitched) {
      this.report.stitchLines++;
      item = {
        id: this.freshId(el.attrs.id, `stitch-${this.items.length + 1}`),
        layerId: layer.id,
        name: el.attrs['inkscape:label'] ?? '',
        type: 'stitch',
        stitch: 'topstitch',
        segments,
        along: null,
        offset: 0,
        stitchLength: Math.max(stroke.dash![0]!, 0.01),
        spacing: stroke.dash![1] ?? stroke.dash![0]!,
        needleGap: 6.4,
        zigzagWidth: 3,
        style: stroke,
      };
    } else {
      const shapeStyle: ShapeStyle = { ...stroke, fill, fillOpacity: style.fillOpacity, fillRule: style.fillRule };
      item = {
        id: this.freshId(el.attrs.id, `${name}-${this.items.length + 1}`),
        layerId: layer.id,
        name: el.attrs['inkscape:label'] ?? '',
        type: 'shape',
        role: closed && fill !== null ? 'panel' : closed ? 'detail' : 'seam',
        segments,
        style: shapeStyle,
        fabric: null,
        motifFill: null,
      };
    }
    this.add(item, groupId);
    this.report.imported[name] = (this.report.imported[name] ?? 0) + 1;
  }

  /** Text becomes a callout without a leader: it keeps the words, not the exact typography. */
  private text(el: XmlElement, m: Matrix, style: ComputedStyle, groupId: string | null): void {
    const collect = (e: XmlElement): string => e.text + e.children.map(collect).join('');
    const words = collect(el).replace(/\s+/g, ' ').trim().slice(0, 2000);
    if (!words) return;
    const first = (k: string) => parseLength((el.attrs[k] ?? '').split(/[\s,]+/)[0]) ?? 0;
    const at = applyToPoint(m, { x: first('x'), y: first('y') });
    const fill = this.resolvePaint(style.fill, 'fill');
    const layer = this.layerForLoose();
    const id = this.freshId(el.attrs.id, `text-${this.items.length + 1}`);
    this.add({
      id,
      layerId: layer.id,
      name: '',
      type: 'callout',
      text: words,
      at,
      leader: [],
      fontSize: Math.max(style.fontSize * meanScale(m), 0.1),
      colour: fill ?? '#000000',
    }, groupId);
    this.count('approximated', 'text kept as a callout (typography simplified)');
    this.report.imported.text = (this.report.imported.text ?? 0) + 1;
  }

  private add(item: FlatItem, groupId: string | null): void {
    this.items.push(item);
    if (this.side) this.sides.set(item.id, this.side);
    if (groupId) this.groups.find((g) => g.id === groupId)?.memberIds.push(item.id);
  }
}

/** A split view's symmetry axis: the centre of its widest shape, the garment's outline. */
function centreOfWidest(items: FlatItem[]): number | null {
  let best: { width: number; centre: number } | null = null;
  for (const item of items) {
    if (item.type !== 'shape') continue;
    const b = itemBounds(item);
    if (b && (!best || b.maxX - b.minX > best.width)) best = { width: b.maxX - b.minX, centre: (b.minX + b.maxX) / 2 };
  }
  return best ? best.centre : null;
}

function collectStyles(root: XmlElement): Stylesheet {
  const sheet: Stylesheet = { rules: [], unsupported: [] };
  const visit = (el: XmlElement) => {
    if (localName(el) === 'style') {
      const part = parseStylesheet(el.text, sheet.rules.length);
      sheet.rules.push(...part.rules);
      sheet.unsupported.push(...part.unsupported);
    }
    el.children.forEach(visit);
  };
  visit(root);
  return sheet;
}

/**
 * Imports a flat drawn in Inkscape or Illustrator into a flat document, in the mm of its page until a
 * known measurement gives it the garment's scale. Hostile or oversized input is refused with
 * AppError('INVALID_INPUT') before it can cost much.
 */
export function importSvg(text: string, options: SvgImportOptions = {}): SvgImportResult {
  const limits = { ...DEFAULT_SVG_LIMITS, ...options.limits };
  const root = parseSvgXml(text, limits);
  const sheet = collectStyles(root);
  const page = pageOf(root);
  checkPage(page, limits);
  const importer = new Importer(sheet, limits, options.stitchDashMaxMm ?? 8, root);
  const rootStyle = computeStyle(root, INITIAL_STYLE, sheet);
  importer.walk(root, page.toMm, rootStyle, 0, null, 0);
  for (const s of sheet.unsupported) importer.report.dropped.push({ what: `CSS rule "${s.slice(0, 60)}"`, count: 1 });
  const layers = importer.layers.length ? importer.layers : [{ id: 'layer-1', name: 'Drawing', visible: true, locked: false }];
  const title = root.children.find((c) => localName(c) === 'title')?.text.trim();
  // Single-member groups carry no meaning in the editor, so they are left out.
  const groups = importer.groups.filter((g) => g.memberIds.length > 1);
  const mode = options.views ?? 'one';
  const visible = new Set(layers.filter((l) => l.visible).map((l) => l.id));
  const split = splitViews(importer.items, importer.sides, page, mode, visible);
  const views = split.views.map(({ id, items }) => {
    const ids = new Set(items.map((i) => i.id));
    return {
      id,
      items,
      groups: groups.filter((g) => g.memberIds.every((m) => ids.has(m))),
      axisX: mode === 'one' ? null : centreOfWidest(items),
      layers: mode === 'one' ? layers : layersOf(items, layers, split.found.by === 'names' ? importer.viewLayers : new Set()),
      poms: [],
      twins: [],
    };
  });
  const draft = {
    schemaVersion: FLAT_SCHEMA_VERSION,
    id: options.id ?? 'imported',
    name: (options.name ?? title ?? root.attrs['sodipodi:docname'] ?? 'Imported flat').slice(0, 200),
    units: { name: 'mm', mmPerUnit: 1 },
    page: split.page,
    views,
    attributes: { category: options.category ?? 'other', sleeveLength: null, neckline: null, length: null, closure: null, pockets: null, tags: [] },
  };
  const parsed = FlatDocumentSchema.safeParse(draft);
  if (!parsed.success)
    throw new AppError('INVALID_INPUT', `The SVG could not be turned into a valid flat: ${parsed.error.issues[0]?.message ?? ''}`);
  const doc = parsed.data;
  if (options.known) {
    const measured = doc.views.find((v) => v.items.length > 0) ?? doc.views[0]!;
    doc.units.mmPerUnit = scaleForKnown(doc, measured, options.known.measurement, options.known.cm);
  }
  return { doc, report: importer.report, views: split.found };
}

/**
 * A split view keeps the layers its items are on (the first layer when it has none). A layer named
 * after its view is shown: it was hidden only to show one view at a time in the drawing program.
 */
function layersOf(items: FlatItem[], layers: Layer[], viewLayers: ReadonlySet<string>): Layer[] {
  const used = new Set(items.map((i) => i.layerId));
  const own = layers.filter((l) => used.has(l.id));
  return (own.length ? own : layers.slice(0, 1)).map((l) => (viewLayers.has(l.id) && used.has(l.id) ? { ...l, visible: true } : l));
}
