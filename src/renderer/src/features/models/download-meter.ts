/** One reading of a download's progress: bytes on disk at a moment (milliseconds). */
export interface ByteSample {
  bytes: number;
  at: number;
}

/** Speed is measured over the last few seconds, so it follows the connection rather than the whole run's average. */
export const SPEED_WINDOW_MS = 5_000;

/**
 * Adds a reading to a download's recent history. A fall in bytes (a file that failed its hash starts
 * again from zero) begins a fresh history, since a rate across it would mean nothing. The newest reading
 * older than the window stays as the anchor, so a burst followed by a stall still has a measure.
 */
export function addSample(samples: readonly ByteSample[], next: ByteSample, windowMs = SPEED_WINDOW_MS): ByteSample[] {
  const last = samples.at(-1);
  if (last && (next.bytes < last.bytes || next.at < last.at)) return [next];
  let anchor = 0;
  for (let i = 0; i < samples.length; i++) if (next.at - samples[i]!.at > windowMs) anchor = i;
  return [...samples.slice(anchor), next];
}

/** Bytes per second across the history, or null until two readings lie apart in time. */
export function bytesPerSecond(samples: readonly ByteSample[]): number | null {
  if (samples.length < 2) return null;
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const seconds = (last.at - first.at) / 1000;
  if (seconds <= 0) return null;
  return (last.bytes - first.bytes) / seconds;
}

/** Time left at the current speed, or null while there is no speed to go by (a stalled download has no estimate). */
export function secondsLeft(bytes: number, totalBytes: number | null, speed: number | null): number | null {
  if (totalBytes === null || speed === null || speed <= 0) return null;
  return Math.max(0, (totalBytes - bytes) / speed);
}

/** A duration split for display: whole hours, minutes and seconds, rounded up so "0 s" never shows while work remains. */
export function durationParts(seconds: number): { h: number; m: number; s: number } {
  const total = Math.max(0, Math.ceil(seconds));
  return { h: Math.floor(total / 3600), m: Math.floor((total % 3600) / 60), s: total % 60 };
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Decimal units, as the main side words its messages, so the panel and the CLI agree on a pack's size. */
export function formatBytes(n: number, language: string): string {
  let value = Math.max(0, n);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const number = new Intl.NumberFormat(language === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits }).format(value);
  return `${number} ${UNITS[unit]}`;
}
