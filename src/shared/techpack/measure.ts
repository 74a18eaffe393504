/**
 * Exact lengths for points of measure. Grading adds increments to a base value and converts between
 * centimetres and inches; done in binary floating point, 27.375 in + 0.1 cm steps drift and two
 * exports of the same table could print different last digits. Lengths are therefore rationals of
 * bigints, 1 in = 2.54 cm exactly, and rounding happens only when a value is written out:
 *
 * - cm to the nearest 0.1 cm (one decimal), the customary precision of metric specs;
 * - in to the nearest 1/8 in, written as a mixed fraction (27 3/8), the customary precision of
 *   imperial specs.
 *
 * Ties round half away from zero, so +x and -x print symmetrically (tolerances are ± values).
 */
export type LengthUnit = 'cm' | 'in';

export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};

export function rational(n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw new RangeError('A rational needs a non-zero denominator.');
  const sign = d < 0n ? -1n : 1n;
  const g = gcd(n, d) || 1n;
  return { n: (sign * n) / g, d: (sign * d) / g };
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** Parses a decimal written by a person ("70.58", "-0.5") exactly; a JS number goes through its shortest decimal form. */
export function parseDecimal(value: string | number): Rational {
  const text = typeof value === 'number' ? numberToDecimal(value) : value.trim();
  const m = DECIMAL.exec(text);
  if (!m) throw new RangeError(`"${text}" is not a decimal number.`);
  const frac = m[3] ?? '';
  const n = BigInt(m[2]! + frac) * (m[1] === '-' ? -1n : 1n);
  return rational(n, 10n ** BigInt(frac.length));
}

function numberToDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`${value} is not a finite length.`);
  // String() gives the shortest decimal that reads back as the same double: what the person typed.
  const s = String(value);
  if (!/e/i.test(s)) return s;
  return value.toFixed(20).replace(/\.?0+$/, '');
}

export const add = (a: Rational, b: Rational): Rational => rational(a.n * b.d + b.n * a.d, a.d * b.d);
export const mul = (a: Rational, b: Rational): Rational => rational(a.n * b.n, a.d * b.d);
export const neg = (a: Rational): Rational => rational(-a.n, a.d);
export const isZero = (a: Rational): boolean => a.n === 0n;

const CM_PER_INCH = rational(254n, 100n);

/** Converts exactly; no rounding. */
export function convert(value: Rational, from: LengthUnit, to: LengthUnit): Rational {
  if (from === to) return value;
  return from === 'in' ? mul(value, CM_PER_INCH) : mul(value, rational(CM_PER_INCH.d, CM_PER_INCH.n));
}

/** Display steps per unit: 1/10 cm, 1/8 in. */
export const DISPLAY_STEP: Readonly<Record<LengthUnit, Rational>> = { cm: rational(1n, 10n), in: rational(1n, 8n) };

/** Rounds to a whole number of `step`s, half away from zero; returns the count of steps. */
export function roundToSteps(value: Rational, step: Rational): bigint {
  // value / step = (n * step.d) / (d * step.n)
  const num = value.n * step.d;
  const den = value.d * step.n;
  const sign = num < 0n ? -1n : 1n;
  const abs = num < 0n ? -num : num;
  return sign * ((2n * abs + den) / (2n * den));
}

/** Writes a length at its unit's display precision: "70.6" (cm) or "27 3/4" (in). */
export function formatLength(value: Rational, unit: LengthUnit, options: { signed?: boolean } = {}): string {
  const steps = roundToSteps(value, DISPLAY_STEP[unit]);
  const sign = steps < 0n ? '-' : options.signed && steps > 0n ? '+' : '';
  const abs = steps < 0n ? -steps : steps;
  if (unit === 'cm') return `${sign}${abs / 10n}.${abs % 10n}`;
  const whole = abs / 8n;
  const eighths = abs % 8n;
  if (eighths === 0n) return `${sign}${whole}`;
  const g = gcd(eighths, 8n);
  const frac = `${eighths / g}/${8n / g}`;
  return whole === 0n ? `${sign}${frac}` : `${sign}${whole} ${frac}`;
}

/** The value as a JS number, for drawing only (never for what is printed). */
export const toNumber = (a: Rational): number => Number(a.n) / Number(a.d);
