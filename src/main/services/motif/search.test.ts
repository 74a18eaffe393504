import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOTIF_LEXICON, termsForChinese, termsForEnglish } from '../../../shared/motif/lexicon';
import { Library } from '../library';
import { importMotifs } from './import';
import { searchCaptions } from './search';
import { HERITAGE_DIR, tempDir } from './test-kit';
import { HAN_PLACE_NAMES, parseQuery, segmentForIndex } from './text';

interface Caption {
  id: string;
  title_zh?: string;
  title_en?: string;
  caption_zh?: string;
  caption_en?: string;
  context_en?: string;
  motif_tags_auto?: string[];
}
const captions = fs
  .readFileSync(path.join(HERITAGE_DIR, 'captions.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Caption);
const allText = (c: Caption) => [c.title_zh, c.title_en, c.caption_zh, c.caption_en, c.context_en, ...(c.motif_tags_auto ?? [])].join(' ');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What a concept should find, read straight from the captions: any of its Chinese terms, or an English word of it. */
function expectedIds(en: string): Set<string> {
  const terms = termsForEnglish(en);
  const zh = terms.flatMap((t) => t.zh);
  const words = terms.flatMap((t) => t.en).map((w) => new RegExp(`\\b${escape(w)}(s|es)?\\b`, 'i'));
  // A place name is not its characters: 龙泉窑 (Longquan kiln) names no dragon.
  const withoutPlaces = (c: Caption) => HAN_PLACE_NAMES.reduce((t, name) => t.replaceAll(name, ' '), allText(c));
  return new Set(captions.filter((c) => zh.some((z) => withoutPlaces(c).includes(z)) || words.some((w) => w.test(allText(c)))).map((c) => c.id));
}

const dirs: string[] = [];
let lib: Library;
const hitKeys = (query: string, limit = 500) => searchCaptions(lib.db, query, limit).hits.map((h) => String(h.motif.attributes.sourceKey));
const byKey = new Map(captions.map((c) => [c.id, c]));

beforeAll(async () => {
  lib = Library.open(tempDir('jinxiu-motif-search-', dirs));
  const report = await importMotifs(lib, { folder: HERITAGE_DIR });
  // The sample's own records: every one imports (the search tests below rely on the whole set).
  expect(report.imported + report.duplicates).toBe(captions.length);
}, 120_000);
afterAll(() => {
  lib?.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('segmentation', () => {
  it('indexes a Han run as unigrams and overlapping bigrams, and leaves other text to the tokenizer', () => {
    expect(segmentForIndex('缠枝莲花纹')).toBe('缠 枝 莲 花 纹 缠枝 枝莲 莲花 花纹');
    expect(segmentForIndex('Lotus 莲花 bowl')).toBe('Lotus  莲 花 莲花  bowl');
    expect(segmentForIndex('')).toBe('');
  });

  it('reads lexicon phrases before words and cuts Chinese at the longest lexicon terms', () => {
    expect(parseQuery('blue and white porcelain').map((c) => c.text)).toEqual(['blue and white', 'porcelain']);
    expect(parseQuery('唐代龙纹锦').map((c) => c.text)).toEqual(['唐代', '龙纹', '锦']);
    expect(parseQuery('上海龙').map((c) => c.text)).toEqual(['上海', '龙']);
    expect(parseQuery('the of')).toEqual([]);
  });

  it('has at least 60 bilingual pairs, each term in one concept only', () => {
    expect(MOTIF_LEXICON.length).toBeGreaterThanOrEqual(60);
    for (const t of MOTIF_LEXICON) {
      for (const zh of t.zh) expect(termsForChinese(zh), zh).toHaveLength(1);
      for (const en of t.en) expect(termsForEnglish(en), en).toHaveLength(1);
    }
  });
});

describe('caption search on the real heritage captions', () => {
  const pairs: [string, string][] = [
    ['lotus', '莲花'],
    ['dragon', '龙'],
    ['phoenix', '凤'],
    ['peony', '牡丹'],
    ['crane', '鹤'],
    ['fish', '鱼'],
    ['cloud', '云纹'],
  ];
  it.each(pairs)('"%s" and "%s" find the same motifs: every caption with either word, and only those', (en, zh) => {
    const expected = expectedIds(en);
    expect(expected.size).toBeGreaterThan(0);
    const fromEnglish = new Set(hitKeys(en));
    const fromChinese = new Set(hitKeys(zh));
    expect(fromChinese).toEqual(fromEnglish);
    expect(fromEnglish).toEqual(expected);
  });

  it('crosses languages: English finds motifs described only in Chinese, Chinese finds ones described only in English', () => {
    let zhOnly = 0;
    let enOnly = 0;
    // Every concept of the lexicon, by its first English and Chinese words.
    for (const [en, zh] of MOTIF_LEXICON.map((t) => [t.en[0]!, t.zh[0]!] as const)) {
      const terms = termsForEnglish(en);
      const hasZh = (k: string) => terms.flatMap((t) => t.zh).some((z) => allText(byKey.get(k)!).includes(z));
      const hasEn = (k: string) => new RegExp(`\\b${en}`, 'i').test(allText(byKey.get(k)!));
      zhOnly += hitKeys(en).filter((k) => !hasEn(k) && hasZh(k)).length;
      enOnly += hitKeys(zh).filter((k) => !hasZh(k) && hasEn(k)).length;
    }
    expect(zhOnly).toBeGreaterThan(0);
    expect(enOnly).toBeGreaterThan(0);
  });

  it('does not read a place name as its characters: "dragon" misses a peony vase whose page names the Longquan kiln (龙泉窑)', () => {
    expect(allText(byKey.get('celadon_meiping_song400')!)).toContain('龙泉窑');
    expect(allText(byKey.get('celadon_meiping_song400')!)).not.toMatch(/dragon/i);
    expect(hitKeys('dragon')).not.toContain('celadon_meiping_song400');
    expect(hitKeys('龙')).not.toContain('celadon_meiping_song400');
    expect(hitKeys('peony')).toContain('celadon_meiping_song400');
    expect(hitKeys('龙泉')).toContain('celadon_meiping_song400');
  });

  it('stems English (dragons = dragon) and ignores case', () => {
    expect(new Set(hitKeys('Dragons'))).toEqual(new Set(hitKeys('dragon')));
  });

  it('matches a two-character query that is not in the lexicon as a substring, never as its characters apart', () => {
    const hits = hitKeys('上海');
    const expected = captions.filter((c) => allText(c).includes('上海')).map((c) => c.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(new Set(hits)).toEqual(new Set(expected));
  });

  it('requires every concept of a query, and widens to any when nothing has them all', () => {
    const both = searchCaptions(lib.db, 'dragon 上海', 500);
    expect(both.mode).toBe('all');
    for (const h of both.hits) {
      const text = allText(byKey.get(String(h.motif.attributes.sourceKey))!);
      expect(text).toMatch(/上海/);
      expect(text).toMatch(/dragon|龙/i);
    }
    const none = searchCaptions(lib.db, 'dragon zzqxv', 500);
    expect(none.mode).toBe('any');
    expect(new Set(none.hits.map((h) => String(h.motif.attributes.sourceKey)))).toEqual(expectedIds('dragon'));
  });

  it('ranks a motif whose title names the concept above one that only mentions it in the page text', () => {
    const hits = searchCaptions(lib.db, 'phoenix', 500).hits;
    const inTitle = (k: string) => /phoenix|凤/i.test(`${byKey.get(k)!.title_en} ${byKey.get(k)!.title_zh}`);
    const keys = hits.map((h) => String(h.motif.attributes.sourceKey));
    const firstContextOnly = keys.findIndex((k) => !inTitle(k));
    const lastTitled = keys.map(inTitle).lastIndexOf(true);
    expect(firstContextOnly).toBeGreaterThan(0);
    expect(lastTitled).toBeLessThan(keys.length);
    expect(inTitle(keys[0]!)).toBe(true);
  });

  it('takes query text as words, never as FTS5 syntax', () => {
    expect(() => searchCaptions(lib.db, 'lotus" OR NEAR(', 10)).not.toThrow();
    expect(searchCaptions(lib.db, '***', 10).hits).toEqual([]);
  });
});
