import { describe, expect, it } from 'vitest';
import { createI18n } from '../../lib/i18n';
import { PROMPT_TEXT } from '../prompt/text';
import { ensureBundle, SWATCH_TEXT } from './text';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('the swatch and prompt panels speak both languages', () => {
  it.each([
    ['swatches', SWATCH_TEXT],
    ['prompt', PROMPT_TEXT],
  ] as const)('%s has the same keys in English and Chinese, none empty', (_name, bundle) => {
    expect(keys(bundle.zh).sort()).toEqual(keys(bundle.en).sort());
    for (const lng of ['en', 'zh'] as const) {
      for (const key of keys(bundle[lng])) {
        const value = key.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], bundle[lng]);
        expect(typeof value === 'string' && value.trim().length > 0, `${lng}:${key}`).toBe(true);
      }
    }
  });

  it('merges into the app translation without touching its own strings', async () => {
    const i18n = createI18n('zh');
    ensureBundle(i18n, SWATCH_TEXT);
    ensureBundle(i18n, PROMPT_TEXT);
    ensureBundle(i18n, PROMPT_TEXT);
    expect(i18n.t('swatchLibrary.title')).toBe('面料小样');
    expect(i18n.t('promptPanel.fields.sleeve')).toBe('袖长');
    expect(i18n.t('library.create.submit')).toBe('新建项目');
    await i18n.changeLanguage('en');
    expect(i18n.t('swatchLibrary.count', { count: 3 })).toBe('3 swatches');
  });
});
