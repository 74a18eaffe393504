import { describe, expect, it } from 'vitest';
import { createI18n } from '../../lib/i18n';
import { alphaCaption } from './alpha-caption';

const zh = createI18n('zh').t;
const en = createI18n('en').t;

describe('a render caption’s alpha', () => {
  it('brackets the automatic note in full-width brackets in Chinese and half-width in English', () => {
    expect(alphaCaption(zh, 0.8312, true)).toBe('α 0.83（自动）');
    expect(alphaCaption(en, 0.8312, true)).toBe('α 0.83 (auto)');
  });

  it('has no note for a hand-set alpha', () => {
    expect(alphaCaption(zh, 0.3, false)).toBe('α 0.30');
  });

  it('leaves no half-width bracket around a note anywhere in the Chinese withNote wording', () => {
    const shown = zh('variants:withNote', { value: '由模型决定', note: '0.83' });
    expect(shown).toBe('由模型决定（0.83）');
  });
});
