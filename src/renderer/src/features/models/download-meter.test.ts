import { describe, expect, it } from 'vitest';
import { addSample, bytesPerSecond, durationParts, formatBytes, secondsLeft, type ByteSample } from './download-meter';

const feed = (readings: [number, number][], windowMs?: number) =>
  readings.reduce<ByteSample[]>((acc, [at, bytes]) => addSample(acc, { at, bytes }, windowMs), []);

describe('download meter', () => {
  it('has no speed from a single reading or from readings at the same moment', () => {
    expect(bytesPerSecond(feed([[1000, 500]]))).toBeNull();
    expect(bytesPerSecond(feed([[1000, 500], [1000, 900]]))).toBeNull();
  });

  it('measures bytes per second between the oldest and newest reading', () => {
    expect(bytesPerSecond(feed([[0, 0], [500, 1_000], [2_000, 4_000]]))).toBe(2_000);
  });

  it('keeps only the window, anchored on the newest reading older than it', () => {
    const samples = feed([[0, 0], [1_000, 100], [2_000, 200], [9_000, 900]], 5_000);
    expect(samples.map((s) => s.at)).toEqual([2_000, 9_000]);
    expect(bytesPerSecond(samples)).toBe(100);
  });

  it('starts afresh when bytes fall (a file that failed its hash restarts)', () => {
    const samples = feed([[0, 0], [1_000, 5_000], [2_000, 100]]);
    expect(samples).toEqual([{ at: 2_000, bytes: 100 }]);
    expect(bytesPerSecond(samples)).toBeNull();
  });

  it('estimates time left only with a positive speed and a known total', () => {
    expect(secondsLeft(250, 1_000, 50)).toBe(15);
    expect(secondsLeft(250, 1_000, 0)).toBeNull();
    expect(secondsLeft(250, 1_000, null)).toBeNull();
    expect(secondsLeft(250, null, 50)).toBeNull();
    expect(secondsLeft(2_000, 1_000, 50)).toBe(0);
  });

  it('splits durations, rounding up the last second', () => {
    expect(durationParts(0.2)).toEqual({ h: 0, m: 0, s: 1 });
    expect(durationParts(61)).toEqual({ h: 0, m: 1, s: 1 });
    expect(durationParts(3_725)).toEqual({ h: 1, m: 2, s: 5 });
  });

  it('writes sizes in decimal units like the main side', () => {
    expect(formatBytes(999, 'en')).toBe('999 B');
    expect(formatBytes(1_500, 'en')).toBe('1.5 KB');
    expect(formatBytes(2_634_000, 'en')).toBe('2.6 MB');
    expect(formatBytes(123_400_000, 'zh')).toBe('123 MB');
    expect(formatBytes(4_000_000_000, 'en')).toBe('4 GB');
  });
});
