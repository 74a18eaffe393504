import { describe, expect, it } from 'vitest';
import en from './en.json';
import zh from './zh.json';

/** Every leaf key as a dotted path, with its value. */
function leaves(node: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
    for (const [k, v] of Object.entries(node)) {
      for (const [path, value] of leaves(v, prefix ? `${prefix}.${k}` : k)) out.set(path, value);
    }
  } else {
    out.set(prefix, node);
  }
  return out;
}

const interpolations = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('locale files', () => {
  const enLeaves = leaves(en);
  const zhLeaves = leaves(zh);

  it('have exactly the same keys', () => {
    const missingInZh = [...enLeaves.keys()].filter((k) => !zhLeaves.has(k));
    const missingInEn = [...zhLeaves.keys()].filter((k) => !enLeaves.has(k));
    expect({ missingInZh, missingInEn }).toEqual({ missingInZh: [], missingInEn: [] });
  });

  it('hold only non-empty strings', () => {
    for (const [file, map] of [['en', enLeaves], ['zh', zhLeaves]] as const) {
      for (const [key, value] of map) {
        expect(typeof value === 'string' && value.trim().length > 0, `${file}: ${key}`).toBe(true);
      }
    }
  });

  it('use the same {{placeholders}} for each key', () => {
    for (const [key, value] of enLeaves) {
      expect(interpolations(String(zhLeaves.get(key))), key).toEqual(interpolations(String(value)));
    }
  });
});
