import { describe, expect, it } from 'vitest';
import type { GenerationRecord } from '../../../../shared/contract';
import { pairToShow } from './last-results';

let n = 0;
function record(jobId: string | null, flatId: string | null, variant: GenerationRecord['variant']): GenerationRecord {
  n += 1;
  return {
    id: `g${n}`, projectId: 'p', jobId, flatId, flatVersion: 1, prompt: 'navy denim jacket', variant,
    alpha: 0.8, alphaAuto: true, seed: 1, steps: 4, guidanceScale: null, scheduler: 'ddim', controlScale: null,
    packId: 'pack', packVersion: '1', packName: 'Pack', modelPrompt: 'navy denim jacket', provider: 'cpu', fileSha256: `sha${n}`, width: 64, height: 64,
    durationMs: 10, favourite: false, createdAt: '2025-01-01T00:00:00Z', fabric: 'denim', swatch: null, colorways: [],
  };
}
const pair = (jobId: string, flatId: string | null) => [record(jobId, flatId, 'image-biased'), record(jobId, flatId, 'text-biased')];
const jobOf = (p: GenerationRecord[] | null) => p?.[0]?.jobId ?? null;

describe('pairToShow', () => {
  // Newest first, as generations.list answers.
  const history = [...pair('new-b', 'flat-b'), ...pair('mid-a', 'flat-a'), ...pair('old-a', 'flat-a')];

  it("takes the open flat's newest pair", () => {
    expect(jobOf(pairToShow(history, 'flat-a', null))).toBe('mid-a');
    expect(jobOf(pairToShow(history, 'flat-b', null))).toBe('new-b');
  });

  it('takes the pair that was on show when it is of the open flat', () => {
    expect(jobOf(pairToShow(history, 'flat-a', 'old-a'))).toBe('old-a');
    expect(jobOf(pairToShow(history, 'flat-a', 'new-b'))).toBe('mid-a');
    expect(jobOf(pairToShow(history, 'flat-a', 'gone'))).toBe('mid-a');
  });

  it('takes any flat\'s pair when no flat is open', () => {
    expect(jobOf(pairToShow(history, null, null))).toBe('new-b');
    expect(jobOf(pairToShow(history, null, 'old-a'))).toBe('old-a');
  });

  it('shows nothing for a flat without renders, or without a whole pair', () => {
    expect(pairToShow(history, 'flat-c', null)).toBeNull();
    const half = [record('half', 'flat-c', 'image-biased'), record(null, 'flat-c', 'text-biased')];
    expect(pairToShow([...half, ...history], 'flat-c', 'half')).toBeNull();
    expect(pairToShow([], null, null)).toBeNull();
  });
});
