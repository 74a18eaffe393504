import { describe, expect, it } from 'vitest';
import { createI18n, initialLanguage, LANGUAGE_STORAGE_KEY, saveLanguage, type KeyValueStore } from './i18n';
import { tokenFromHash } from './token';

function memoryStore(initial: Record<string, string> = {}): KeyValueStore & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

const brokenStore: KeyValueStore = {
  getItem: () => {
    throw new Error('SecurityError: storage is disabled');
  },
  setItem: () => {
    throw new Error('QuotaExceededError');
  },
};

describe('initialLanguage', () => {
  it('prefers the saved choice over the browser language', () => {
    expect(initialLanguage(memoryStore({ [LANGUAGE_STORAGE_KEY]: 'en' }), ['zh-CN'])).toBe('en');
    expect(initialLanguage(memoryStore({ [LANGUAGE_STORAGE_KEY]: 'zh' }), ['en-US'])).toBe('zh');
  });

  it('falls back to the first supported browser language, any zh-* meaning Chinese', () => {
    expect(initialLanguage(memoryStore(), ['zh-TW'])).toBe('zh');
    expect(initialLanguage(memoryStore(), ['fr-FR', 'zh-Hans-CN', 'en'])).toBe('zh');
    expect(initialLanguage(memoryStore(), ['en-GB', 'zh-CN'])).toBe('en');
    expect(initialLanguage(memoryStore(), ['fr-FR', 'de'])).toBe('en');
    expect(initialLanguage(null, [])).toBe('en');
  });

  it('ignores a saved value that is not a supported language', () => {
    expect(initialLanguage(memoryStore({ [LANGUAGE_STORAGE_KEY]: 'klingon' }), ['zh-CN'])).toBe('zh');
  });

  it('survives storage that throws', () => {
    expect(initialLanguage(brokenStore, ['zh-CN'])).toBe('zh');
    expect(() => saveLanguage(brokenStore, 'zh')).not.toThrow();
  });

  it('reads back what saveLanguage wrote', () => {
    const store = memoryStore();
    saveLanguage(store, 'zh');
    expect(store.data[LANGUAGE_STORAGE_KEY]).toBe('zh');
    expect(initialLanguage(store, ['en-US'])).toBe('zh');
  });
});

describe('createI18n', () => {
  it('translates from the locale files and switches language', async () => {
    const i18n = createI18n('zh');
    expect(i18n.t('library:create.submit')).toBe('新建项目');
    expect(i18n.t('library:item.updated', { time: 'T' })).toBe('更新于 T');
    await i18n.changeLanguage('en');
    expect(i18n.t('library:create.submit')).toBe('Create project');
    expect(i18n.t('library:delete.confirm', { name: '<b>' })).toContain('“<b>”');
  });
});

describe('tokenFromHash', () => {
  it('reads the token from the fragment, with or without the #', () => {
    expect(tokenFromHash('#token=abc123')).toBe('abc123');
    expect(tokenFromHash('token=abc123&x=1')).toBe('abc123');
    expect(tokenFromHash('#x=1&token=a%2Bb')).toBe('a+b');
  });

  it('is null when there is no usable token', () => {
    expect(tokenFromHash('')).toBeNull();
    expect(tokenFromHash('#')).toBeNull();
    expect(tokenFromHash('#token=')).toBeNull();
    expect(tokenFromHash('#other=1')).toBeNull();
  });
});
