import { AppError } from '../../contract/errors';
import { parseCssColour } from '../colour';
import { matchingDeclarations, outsideUrl, parseDeclarations, unescapeCss, type Stylesheet } from './css';
import type { XmlElement } from './xml';

/** A paint as found: a colour, none, or a reference to a paint server (gradient, pattern). */
export type Paint = { kind: 'none' } | { kind: 'colour'; value: string } | { kind: 'url'; id: string; fallback: string | null };

export interface ComputedStyle {
  fill: Paint;
  fillOpacity: number;
  fillRule: 'nonzero' | 'evenodd';
  stroke: Paint;
  strokeWidth: number;
  strokeOpacity: number;
  dash: number[] | null;
  dashOffset: number;
  lineCap: 'butt' | 'round' | 'square';
  lineJoin: 'miter' | 'round' | 'bevel';
  miterLimit: number;
  color: string;
  fontSize: number;
  /** Own opacity times every ancestor's: group opacity is approximated per element. */
  opacity: number;
  display: boolean;
  visible: boolean;
  markers: boolean;
  effects: string[];
}

export const INITIAL_STYLE: ComputedStyle = {
  fill: { kind: 'colour', value: '#000000' },
  fillOpacity: 1,
  fillRule: 'nonzero',
  stroke: { kind: 'none' },
  strokeWidth: 1,
  strokeOpacity: 1,
  dash: null,
  dashOffset: 0,
  lineCap: 'butt',
  lineJoin: 'miter',
  miterLimit: 4,
  color: '#000000',
  fontSize: 16,
  opacity: 1,
  display: true,
  visible: true,
  markers: false,
  effects: [],
};

const UNIT: Record<string, number> = { '': 1, px: 1, pt: 96 / 72, pc: 16, mm: 96 / 25.4, cm: 96 / 2.54, in: 96 };

/** A length in user units; em uses the font size; percentages and junk give null. */
export function parseLength(value: string | undefined, fontSize = 16): number | null {
  if (value === undefined) return null;
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|em|ex)?\s*$/i.exec(value);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  if (unit === 'em') return n * fontSize;
  if (unit === 'ex') return (n * fontSize) / 2;
  return Number.isFinite(n) ? n * UNIT[unit]! : null;
}

const clamp01 = (n: number) => Math.min(1, Math.max(0, n));
function parseOpacity(v: string): number | null {
  const t = v.trim();
  const n = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  return Number.isFinite(n) ? clamp01(n) : null;
}

/** A colour value as the document keeps it (#rrggbb), with currentColor resolved; null if unreadable. */
export function parseColourValue(v: string, color: string): string | null {
  // SVG 1.1 lets an ICC colour follow the sRGB one; the sRGB one is what every renderer draws.
  const t = v.trim().replace(/\s+icc-color\([^)]*\)$/i, '');
  return t.toLowerCase() === 'currentcolor' ? color : parseCssColour(t);
}

/** Colours are parsed, never passed through: what is not a colour, none or a #reference is unreadable (null). */
function parsePaint(v: string, color: string): Paint | null {
  const t = v.trim();
  const lower = t.toLowerCase();
  if (lower === 'none' || lower === 'transparent') return { kind: 'none' };
  const url = /^url\(\s*(['"]?)#([^'")]+)\1\s*\)\s*(.*)$/i.exec(t);
  if (url) {
    const fb = url[3]!.trim();
    return { kind: 'url', id: url[2]!, fallback: fb && fb.toLowerCase() !== 'none' ? parseColourValue(fb, color) : null };
  }
  const colour = parseColourValue(t, color);
  return colour === null ? null : { kind: 'colour', value: colour };
}

const PROPERTIES = new Set([
  'fill', 'fill-opacity', 'fill-rule', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray',
  'stroke-dashoffset', 'stroke-linecap', 'stroke-linejoin', 'stroke-miterlimit', 'color', 'font-size',
  'opacity', 'display', 'visibility', 'marker', 'marker-start', 'marker-mid', 'marker-end', 'filter',
  'clip-path', 'mask',
]);

function refuseOutsideUrl(el: XmlElement, property: string, value: string): void {
  const outside = outsideUrl(value);
  if (outside !== null)
    throw new AppError(
      'INVALID_INPUT',
      `The SVG refers to an outside resource (${property}: url(${outside.slice(0, 80)}) on <${el.name}>); only references inside the file are accepted.`,
    );
}

/**
 * The CSS cascade for one element: presentation attributes, then stylesheet rules by specificity,
 * then the style attribute, then !important rules; inherited properties come from the parent.
 */
export function computeStyle(el: XmlElement, parent: ComputedStyle, sheet: Stylesheet): ComputedStyle {
  const decls = new Map<string, string>();
  const put = (property: string, value: string) => {
    refuseOutsideUrl(el, property, value);
    decls.set(property, value);
  };
  for (const [k, v] of Object.entries(el.attrs)) if (PROPERTIES.has(k)) put(k, unescapeCss(v));
  refuseOutsideUrl(el, 'stop-color', el.attrs['stop-color'] ?? '');
  const fromSheet = matchingDeclarations(el, sheet);
  for (const d of fromSheet) if (!d.important) put(d.property, d.value);
  for (const d of parseDeclarations(el.attrs.style ?? '')) put(d.property, d.value);
  for (const d of fromSheet) if (d.important) put(d.property, d.value);

  const s: ComputedStyle = { ...parent, opacity: parent.opacity, display: true, markers: false, effects: [] };
  const get = (p: string) => {
    const v = decls.get(p);
    return v === undefined || v.trim() === 'inherit' ? undefined : v.trim();
  };
  const color = get('color');
  const parsedColor = color ? parseColourValue(color, parent.color) : null;
  if (parsedColor) s.color = parsedColor;
  const fontSize = parseLength(get('font-size'), parent.fontSize);
  if (fontSize !== null && fontSize > 0) s.fontSize = fontSize;
  const fill = get('fill');
  if (fill) s.fill = parsePaint(fill, s.color) ?? s.fill;
  const stroke = get('stroke');
  if (stroke) s.stroke = parsePaint(stroke, s.color) ?? s.stroke;
  const num = (p: string) => {
    const v = get(p);
    return v === undefined ? null : parseOpacity(v);
  };
  s.fillOpacity = num('fill-opacity') ?? s.fillOpacity;
  s.strokeOpacity = num('stroke-opacity') ?? s.strokeOpacity;
  const own = num('opacity');
  if (own !== null) s.opacity = parent.opacity * own;
  const rule = get('fill-rule');
  if (rule === 'evenodd' || rule === 'nonzero') s.fillRule = rule;
  const width = parseLength(get('stroke-width'), s.fontSize);
  if (width !== null && width >= 0) s.strokeWidth = width;
  const dash = get('stroke-dasharray');
  if (dash) {
    if (dash === 'none') s.dash = null;
    else {
      const parts = dash.split(/[\s,]+/).filter(Boolean).map((p) => parseLength(p, s.fontSize));
      const ok = parts.every((p): p is number => p !== null && p >= 0) && parts.some((p) => (p ?? 0) > 0);
      // SVG repeats an odd-length list to make it even.
      s.dash = ok ? (parts.length % 2 ? [...parts, ...parts] : parts) as number[] : null;
    }
  }
  const dashOffset = parseLength(get('stroke-dashoffset'), s.fontSize);
  if (dashOffset !== null) s.dashOffset = dashOffset;
  const cap = get('stroke-linecap');
  if (cap === 'butt' || cap === 'round' || cap === 'square') s.lineCap = cap;
  const join = get('stroke-linejoin');
  if (join === 'miter' || join === 'round' || join === 'bevel') s.lineJoin = join;
  else if (join === 'miter-clip' || join === 'arcs') s.lineJoin = 'miter';
  const limit = Number(get('stroke-miterlimit'));
  if (Number.isFinite(limit) && limit >= 1) s.miterLimit = limit;
  if (get('display') === 'none') s.display = false;
  const vis = get('visibility');
  if (vis === 'hidden' || vis === 'collapse') s.visible = false;
  else if (vis === 'visible') s.visible = true;
  for (const m of ['marker', 'marker-start', 'marker-mid', 'marker-end']) {
    const v = get(m);
    if (v && v !== 'none') s.markers = true;
  }
  for (const e of ['filter', 'clip-path', 'mask']) {
    const v = get(e);
    if (v && v !== 'none') s.effects.push(e);
  }
  return s;
}
