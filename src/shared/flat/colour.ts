import { CSS_COLOUR_NAMES } from './css-colour-names';

const HEX = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
/**
 * A paint server of the same SVG, by id. Only a fragment: nothing outside the file can be named,
 * and the characters are those the SVG exporter writes through unchanged.
 */
const LOCAL_REF = /^url\(#[\w.-]{1,58}\)$/;

/**
 * What a flat document holds as a colour: hex (#rgb, #rgba, #rrggbb, #rrggbbaa), a CSS colour name
 * in lower case, a reference to a paint server inside the same file, or none. Anything else (an
 * outside URL, a function, junk) is not a colour the document can carry.
 */
export function isFlatColour(text: string): boolean {
  return HEX.test(text) || CSS_COLOUR_NAMES.has(text) || LOCAL_REF.test(text) || text === 'none';
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
const byte = (n: number) => Math.round(clamp(n, 0, 255)).toString(16).padStart(2, '0');

function hexOf(r: number, g: number, b: number, alpha: number): string {
  return `#${byte(r)}${byte(g)}${byte(b)}${alpha < 1 ? byte(alpha * 255) : ''}`;
}

/** A number, or a percentage of `whole`; null for anything else. */
function amount(token: string, whole: number): number | null {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(%?)$/.exec(token);
  if (!m) return null;
  const n = Number(m[1]);
  if (!Number.isFinite(n)) return null;
  return m[2] ? (n / 100) * whole : n;
}

function hue(token: string): number | null {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(deg|grad|rad|turn)?$/.exec(token);
  if (!m) return null;
  const n = Number(m[1]);
  const perDegree = { deg: 1, grad: 0.9, rad: 180 / Math.PI, turn: 360 }[m[2] ?? 'deg'] ?? 1;
  const deg = n * perDegree;
  return Number.isFinite(deg) ? ((deg % 360) + 360) % 360 : null;
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [f(0) * 255, f(8) * 255, f(4) * 255];
}

function fromFunction(name: string, args: string): string | null {
  const parts = args.trim().split(/\s*[,/]\s*|\s+/).filter(Boolean);
  if (parts.length !== 3 && parts.length !== 4) return null;
  const alpha = parts.length === 4 ? amount(parts[3]!, 1) : 1;
  if (alpha === null) return null;
  if (name === 'rgb' || name === 'rgba') {
    const [r, g, b] = parts.slice(0, 3).map((p) => amount(p, 255));
    if (r == null || g == null || b == null) return null;
    return hexOf(r, g, b, clamp(alpha, 0, 1));
  }
  const h = hue(parts[0]!);
  const s = amount(parts[1]!, 1);
  const l = amount(parts[2]!, 1);
  if (h === null || s === null || l === null) return null;
  // Bare numbers (CSS Color 4) count as percentages, like "50%".
  const frac = (n: number, token: string) => clamp(token.endsWith('%') ? n : n / 100, 0, 1);
  const [r, g, b] = hslToRgb(h, frac(s, parts[1]!), frac(l, parts[2]!));
  return hexOf(r, g, b, clamp(alpha, 0, 1));
}

/**
 * Reads a CSS colour (hex, a name, rgb()/rgba(), hsl()/hsla(), transparent) and writes it as
 * #rrggbb, or #rrggbbaa when it is not opaque; null when the text is not a colour. Context-bound
 * values (currentColor, inherit) are the caller's to resolve.
 */
export function parseCssColour(text: string): string | null {
  const t = text.trim().toLowerCase();
  if (t.length > 100) return null;
  if (HEX.test(t)) {
    const d = t.slice(1);
    const full = d.length <= 4 ? [...d].map((c) => c + c).join('') : d;
    return full.length === 8 && full.endsWith('ff') ? `#${full.slice(0, 6)}` : `#${full}`;
  }
  const named = CSS_COLOUR_NAMES.get(t);
  if (named) return named;
  if (t === 'transparent') return '#00000000';
  const fn = /^(rgba?|hsla?)\(([^()]*)\)$/.exec(t);
  return fn ? fromFunction(fn[1]!, fn[2]!) : null;
}

/** What the SVG exporter draws for a colour it cannot read, and so what such a colour meant. */
export const UNREADABLE_COLOUR = '#000000';

/**
 * A colour an older document stored, as this schema holds it: a valid one is kept as it is, another
 * CSS colour is written in hex, and anything else becomes the black the exporter always drew for it.
 */
export function migrateColour(value: string): string {
  if (isFlatColour(value)) return value;
  return parseCssColour(value) ?? UNREADABLE_COLOUR;
}
