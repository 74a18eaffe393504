import { describe, expect, it } from 'vitest';
import { PROMPT_TEXT } from './text';

function keys(node: unknown, prefix = ''): string[] {
  if (typeof node !== 'object' || node === null) return [prefix];
  return Object.entries(node).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('the prompt panel strings', () => {
  it('say the same things in English and Chinese', () => {
    expect(keys(PROMPT_TEXT.zh).sort()).toEqual(keys(PROMPT_TEXT.en).sort());
  });

  it('leave no string empty in either language', () => {
    const leaves = (node: unknown): unknown[] => (typeof node === 'object' && node !== null ? Object.values(node).flatMap(leaves) : [node]);
    for (const value of [...leaves(PROMPT_TEXT.en), ...leaves(PROMPT_TEXT.zh)]) expect(String(value).trim()).not.toBe('');
  });
});
