/**
 * sRGB hex <-> CIELAB (D65 white, 2 degree observer), the space where colour distances roughly match
 * what a technician sees; swatch colours and dominant-colour clustering use it.
 */
export interface Lab {
  L: number;
  a: number;
  b: number;
}

const HEX = /^#?([0-9a-f]{6})$/i;

export function isHex(value: string): boolean {
  return HEX.test(value);
}

export function hexToRgb(hex: string): [number, number, number] {
  const m = HEX.exec(hex.trim());
  if (!m) throw new Error(`"${hex}" is not an sRGB colour written as #rrggbb.`);
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function rgbToHex(r: number, g: number, b: number): string {
  const c = (v: number) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0');
  return `#${c(r)}${c(g)}${c(b)}`.toUpperCase();
}

// D65 reference white, Y normalised to 1.
const WHITE = { x: 0.95047, y: 1.0, z: 1.08883 };
const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

function toLinear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function fromLinear(c: number): number {
  const v = c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
  return v * 255;
}

export function rgbToLab(r: number, g: number, b: number): Lab {
  const R = toLinear(r);
  const G = toLinear(g);
  const B = toLinear(b);
  const x = (0.4124564 * R + 0.3575761 * G + 0.1804375 * B) / WHITE.x;
  const y = (0.2126729 * R + 0.7151522 * G + 0.072175 * B) / WHITE.y;
  const z = (0.0193339 * R + 0.119192 * G + 0.9503041 * B) / WHITE.z;
  const f = (t: number) => (t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116);
  const fx = f(x);
  const fy = f(y);
  const fz = f(z);
  return { L: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz) };
}

export function labToRgb({ L, a, b }: Lab): [number, number, number] {
  const fy = (L + 16) / 116;
  const fx = fy + a / 500;
  const fz = fy - b / 200;
  const inv = (t: number) => (t ** 3 > EPSILON ? t ** 3 : (116 * t - 16) / KAPPA);
  const x = inv(fx) * WHITE.x;
  const y = (L > KAPPA * EPSILON ? fy ** 3 : L / KAPPA) * WHITE.y;
  const z = inv(fz) * WHITE.z;
  const R = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
  const G = -0.969266 * x + 1.8760108 * y + 0.041556 * z;
  const B = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
  return [fromLinear(R), fromLinear(G), fromLinear(B)];
}

export function hexToLab(hex: string): Lab {
  const [r, g, b] = hexToRgb(hex);
  return rgbToLab(r, g, b);
}

export function labToHex(lab: Lab): string {
  const [r, g, b] = labToRgb(lab);
  return rgbToHex(r, g, b);
}

/** CIE76 colour difference: plain Euclidean distance in Lab; good enough to name a colour. */
export function deltaE76(p: Lab, q: Lab): number {
  return Math.hypot(p.L - q.L, p.a - q.a, p.b - q.b);
}

/** Lab rounded to two decimals, as stored in the library and shown in a BOM. */
export function roundLab(lab: Lab): Lab {
  const r = (v: number) => Math.round(v * 100) / 100;
  return { L: r(lab.L), a: r(lab.a), b: r(lab.b) };
}
