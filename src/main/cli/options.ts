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
