import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createI18n, LANGUAGES } from '../lib/i18n';
import { NAMESPACES, RESOURCES } from './resources';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererSource = path.resolve(here, '..');

/** Every leaf key as a dotted path, with its value. */
function leaves(node: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
    for (const [k, v] of Object.entries(node)) {
      for (const [p, value] of leaves(v, prefix ? `${prefix}.${k}` : k)) out.set(p, value);
    }
  } else {
    out.set(prefix, node);
  }
  return out;
}

const interpolations = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
const jsonFiles = (lng: string) => fs.readdirSync(path.join(here, lng)).filter((f) => f.endsWith('.json')).sort();

describe('locale files', () => {
  it('are one JSON file per namespace in each language, each of them registered', () => {
    const registered = [...NAMESPACES].sort().map((ns) => `${ns}.json`);
    for (const lng of LANGUAGES) expect(jsonFiles(lng), lng).toEqual(registered);
  });

  describe.each(NAMESPACES)('namespace %s', (ns) => {
    const en = leaves(RESOURCES.en[ns]);
    const zh = leaves(RESOURCES.zh[ns]);

    it('has exactly the same keys in English and Chinese', () => {
      const missingInZh = [...en.keys()].filter((k) => !zh.has(k));
      const missingInEn = [...zh.keys()].filter((k) => !en.has(k));
      expect({ missingInZh, missingInEn }).toEqual({ missingInZh: [], missingInEn: [] });
    });

    it('holds only non-empty strings', () => {
      for (const [lng, map] of [['en', en], ['zh', zh]] as const) {
        for (const [key, value] of map) expect(typeof value === 'string' && value.trim().length > 0, `${lng}:${ns}:${key}`).toBe(true);
      }
    });

    it('uses the same {{placeholders}} for each key', () => {
      for (const [key, value] of en) expect(interpolations(String(zh.get(key))), key).toEqual(interpolations(String(value)));
    });

    it('loads into the app translation in both languages', () => {
      const [key, value] = [...en][0]!;
      for (const lng of LANGUAGES) {
        const i18n = createI18n(lng);
        expect(i18n.hasResourceBundle(lng, ns)).toBe(true);
        expect(i18n.t(`${ns}:${key}`)).toBe(lng === 'en' ? value : zh.get(key));
      }
    });
  });
});

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'locales' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** A key as a component writes it: a whole string, or the fixed start of a template literal. */
interface KeyUse {
  file: string;
  key: string;
  /** The literal goes on with `${…}`, so only its fixed start is known. */
  open: boolean;
}

const NS = NAMESPACES.join('|');
// A key is a whole quoted string with something after the colon ('editor:' alone is prose about keys).
const QUOTED = new RegExp(`(['"])((?:${NS}):[\\w.-]+)\\1`, 'g');
const TEMPLATE = new RegExp(`\`((?:${NS}):[\\w.-]*)(\\$\\{|\`)`, 'g');
const T_CALL = /\bt\(\s*['"`]([^'"`]*)/g;

function keyUses(): { uses: KeyUse[]; withoutNamespace: string[] } {
  const uses: KeyUse[] = [];
  const withoutNamespace: string[] = [];
  for (const file of sourceFiles(rendererSource)) {
    const text = fs.readFileSync(file, 'utf8');
    const name = path.relative(rendererSource, file);
    for (const m of text.matchAll(QUOTED)) uses.push({ file: name, key: m[2]!, open: false });
    for (const m of text.matchAll(TEMPLATE)) uses.push({ file: name, key: m[1]!, open: m[2] === '${' });
    for (const m of text.matchAll(T_CALL)) if (!m[1]!.includes(':')) withoutNamespace.push(`${name}: t('${m[1]}…')`);
  }
  return { uses, withoutNamespace };
}

/** i18next finds `key` itself or its plural forms (key_one, key_other). */
function known(ns: string, key: string, open: boolean): boolean {
  const tree = RESOURCES.en[ns as keyof typeof RESOURCES.en] as Record<string, unknown>;
  const leafKeys = [...leaves(tree).keys()];
  if (open) return leafKeys.some((k) => k.startsWith(key));
  return leafKeys.some((k) => k === key || k.startsWith(`${key}_`));
}

describe('the strings the components ask for', () => {
  const { uses, withoutNamespace } = keyUses();

  it('are found by the scan (it reads the components, not nothing)', () => {
    expect(uses.length).toBeGreaterThan(300);
    for (const ns of NAMESPACES) expect(uses.some((u) => u.key.startsWith(`${ns}:`)), ns).toBe(true);
  });

  it('each name their namespace', () => {
    expect(withoutNamespace).toEqual([]);
  });

  it('each exist in the locale files', () => {
    const missing = uses
      .filter((u) => {
        const [ns, key] = u.key.split(/:(.*)/s) as [string, string];
        return !known(ns, key, u.open);
      })
      .map((u) => `${u.file}: ${u.key}${u.open ? '${…}' : ''}`);
    expect(missing).toEqual([]);
  });
});
