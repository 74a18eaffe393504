import { AppError } from '../../shared/contract';

/** The largest seed: seeds are unsigned 32-bit, as in the packs' noise generators. */
export const MAX_SEED = 2 ** 32 - 1;

/** Whether `text` is a whole number written in decimal digits, and nothing else. */
export function isWholeNumber(text: string): boolean {
  return /^\d+$/.test(text);
}

/**
 * Reads an option as a whole number written in decimal digits. Number() would take "" as 0, "0x10"
 * as 16, "1e3" as 1000 and " 7" as 7: a value the technician did not type would then be used (and a
 * seed recorded that does not reproduce what they asked for), so anything but digits is refused.
 */
export function parseWholeNumber(option: string, text: string, min: number, max: number): number {
  const n = isWholeNumber(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max)) {
    throw new AppError('INVALID_INPUT', `${option} takes a whole number from ${min} to ${max}, not "${text}".`);
  }
  return n;
}

/** parseWholeNumber as a commander option parser. */
export function wholeNumberOption(option: string, min: number, max: number): (text: string) => number {
  return (text) => parseWholeNumber(option, text, min, max);
}

/** Whether `text` is a decimal in plain notation: digits with at most one point, a leading minus allowed. */
export function isPlainDecimal(text: string): boolean {
  return /^-?(\d+\.?\d*|\.\d+)$/.test(text);
}

/** The values a decimal option takes: from `min` (or, with `aboveMin`, anything above it) to `max`. */
export interface DecimalRange {
  min: number;
  max: number;
  aboveMin?: boolean;
}

const rangeText = ({ min, max, aboveMin }: DecimalRange) => (aboveMin ? `above ${min} and up to ${max}` : `from ${min} to ${max}`);

/**
 * Reads an option as a decimal in plain notation (0.35, .5, 12, -3). Number() would take "" and " "
 * as 0, "0x10" as 16, "1e3" as 1000 and "Infinity" as a number: a value the technician did not type
 * would then be used and recorded, so anything but digits, one point and a leading minus is refused,
 * as is a decimal comma ("1,5"), which Number() reads as nothing and parseFloat as 1.
 */
export function parseDecimal(option: string, text: string, range: DecimalRange): number {
  const n = isPlainDecimal(text) ? Number(text) : Number.NaN;
  const inRange = (range.aboveMin ? n > range.min : n >= range.min) && n <= range.max;
  if (!inRange) throw new AppError('INVALID_INPUT', `${option} takes a decimal ${rangeText(range)}, not "${text}".`);
  // "-0" is 0: a signed zero would print as 0 yet compare and record oddly.
  return n === 0 ? 0 : n;
}

/** parseDecimal as a commander option parser. */
export function decimalOption(option: string, range: DecimalRange): (text: string) => number {
  return (text) => parseDecimal(option, text, range);
}
