import { MOTIF_LEXICON, type MotifTerm } from '../../../shared/motif/lexicon';

/**
 * Caption text for SQLite FTS5.
 *
 * Chinese is written without spaces, and FTS5's unicode61 tokenizer would take a whole run of Han
 * characters as one token, so a search for 莲花 would never find 缠枝莲花纹. We therefore index each
 * run of Han characters as its single characters plus its overlapping two-character pairs
 * (缠枝莲花纹 -> 缠 枝 莲 花 纹 缠枝 枝莲 莲花 花纹), space-separated, and let unicode61 + porter handle
 * everything else (English is stemmed: "dragons" finds "dragon").
 *
 * Why not FTS5's trigram tokenizer: it cannot match a query shorter than three characters, and the
 * commonest motif words are one or two characters (龙, 凤, 鹤, 莲花, 牡丹); it also gives up English
 * stemming. Unigrams + bigrams match any query length: one character is one token, a longer query is
 * the AND of its bigrams. The price is an index about twice the size of the text, which for captions
 * is small.
 */

const HAN_RUN = /\p{Script=Han}+/gu;
const HAN = /\p{Script=Han}/u;

/** A run of Han characters as unigrams and bigrams, or other text as it is. */
export function segmentForIndex(text: string | null | undefined): string {
  if (!text) return '';
  const out: string[] = [];
  let last = 0;
  for (const m of text.matchAll(HAN_RUN)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(hanTokens(m[0]).join(' '));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out.join(' ');
}

/**
 * Place names in museum captions whose characters are also motif words: 龙泉窑 (Longquan kiln) has no
 * dragon, 云南 (Yunnan) no cloud. Their characters are not indexed one by one, so "dragon" (龙) does not
 * find a Longquan celadon plate of phoenixes; their pairs are, so 龙泉 itself still finds it.
 */
export const HAN_PLACE_NAMES: readonly string[] = ['龙泉', '龙门', '龙山', '黑龙江', '云南', '云冈', '凤翔', '鹤壁'];

function hanTokens(run: string): string[] {
  const chars = [...run];
  const inPlaceName = new Array<boolean>(chars.length).fill(false);
  for (const name of HAN_PLACE_NAMES) {
    for (let at = run.indexOf(name); at >= 0; at = run.indexOf(name, at + 1)) {
      // indexOf counts UTF-16 units; Han characters of the BMP are one unit each, as are these names.
      for (let i = at; i < at + name.length; i++) inPlaceName[i] = true;
    }
  }
  const bigrams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) bigrams.push(chars[i]! + chars[i + 1]!);
  return [...chars.filter((_, i) => !inPlaceName[i]), ...bigrams];
}

/** One concept of a query: any of its alternatives may match. */
export interface QueryConcept {
  /** What the technician typed for it. */
  text: string;
  /** Alternatives, each an FTS5 expression. */
  alternatives: string[];
}

// Words that carry no motif meaning; requiring them would only lose results.
const STOP_WORDS = new Set(['a', 'an', 'the', 'of', 'with', 'and', 'or', 'in', 'on', 'at', 'to', 'for', 'by', 'from', 'motif', 'pattern', 'design']);
const WORD = /[\p{L}\p{N}]+/gu;
const MAX_PHRASE_WORDS = 3;

/** An FTS5 string literal. */
const quote = (token: string): string => `"${token.replaceAll('"', '""')}"`;

/** A Chinese term as FTS5: its one character, or the AND of its bigrams. */
function hanExpression(term: string): string {
  const chars = [...term];
  if (chars.length === 1) return quote(term);
  const bigrams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) bigrams.push(quote(chars[i]! + chars[i + 1]!));
  return bigrams.length === 1 ? bigrams[0]! : `(${bigrams.join(' AND ')})`;
}

/** English words as FTS5: a word, or a phrase of several. */
const englishExpression = (words: string): string => quote(words);

function conceptFor(text: string, terms: readonly MotifTerm[], own: string): QueryConcept {
  const alternatives = new Set<string>([own]);
  for (const t of terms) {
    for (const en of t.en) alternatives.add(englishExpression(en));
    for (const zh of t.zh) alternatives.add(hanExpression(zh));
  }
  return { text, alternatives: [...alternatives] };
}

/** Lexicon lookups, built once: English phrase -> concepts, Chinese term -> concepts. */
const byEnglish = new Map<string, MotifTerm[]>();
const byChinese = new Map<string, MotifTerm[]>();
let longestChinese = 1;
for (const t of MOTIF_LEXICON) {
  for (const en of t.en) byEnglish.set(en, [...(byEnglish.get(en) ?? []), t]);
  for (const zh of t.zh) {
    byChinese.set(zh, [...(byChinese.get(zh) ?? []), t]);
    longestChinese = Math.max(longestChinese, [...zh].length);
  }
}

/**
 * Splits a query into concepts and widens each through the bilingual lexicon: "lotus" becomes
 * lotus OR 莲花 OR 荷花 ..., and 凤 becomes 凤 OR 凤凰 OR phoenix. English phrases in the lexicon
 * ("blue and white") are matched before single words; a run of Chinese is cut greedily into the
 * longest lexicon terms, and the characters between them stay a concept of their own.
 */
export function parseQuery(query: string): QueryConcept[] {
  const concepts: QueryConcept[] = [];
  const normalised = query.normalize('NFKC');
  let last = 0;
  const latin = (text: string) => concepts.push(...englishConcepts(text));
  for (const m of normalised.matchAll(HAN_RUN)) {
    if (m.index > last) latin(normalised.slice(last, m.index));
    concepts.push(...chineseConcepts(m[0]));
    last = m.index + m[0].length;
  }
  if (last < normalised.length) latin(normalised.slice(last));
  return concepts;
}

function englishConcepts(text: string): QueryConcept[] {
  const words = [...text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().matchAll(WORD)].map((m) => m[0]);
  const out: QueryConcept[] = [];
  for (let i = 0; i < words.length; ) {
    let taken = 0;
    for (let n = Math.min(MAX_PHRASE_WORDS, words.length - i); n >= 2 && taken === 0; n--) {
      const phrase = words.slice(i, i + n).join(' ');
      const terms = byEnglish.get(phrase);
      if (terms) {
        out.push(conceptFor(phrase, terms, englishExpression(phrase)));
        taken = n;
      }
    }
    if (taken === 0) {
      const word = words[i]!;
      const singular = byEnglish.has(word) ? word : word.replace(/(?<=[a-z]{3})(es|s)$/, '');
      const terms = byEnglish.get(word) ?? byEnglish.get(singular) ?? [];
      if (!STOP_WORDS.has(word) || terms.length > 0) out.push(conceptFor(word, terms, englishExpression(word)));
      taken = 1;
    }
    i += taken;
  }
  return out;
}

function chineseConcepts(run: string): QueryConcept[] {
  const chars = [...run];
  const out: QueryConcept[] = [];
  let pending = '';
  const flush = () => {
    if (pending) out.push(conceptFor(pending, [], hanExpression(pending)));
    pending = '';
  };
  for (let i = 0; i < chars.length; ) {
    let taken = 0;
    // A place name is one concept, never its motif characters (龙泉 is a kiln, not dragon + spring).
    const place = HAN_PLACE_NAMES.find((name) => chars.slice(i, i + [...name].length).join('') === name);
    if (place) {
      flush();
      out.push(conceptFor(place, [], hanExpression(place)));
      taken = [...place].length;
    }
    for (let n = Math.min(longestChinese, chars.length - i); n >= 1 && taken === 0; n--) {
      const term = chars.slice(i, i + n).join('');
      const terms = byChinese.get(term);
      if (terms) {
        flush();
        out.push(conceptFor(term, terms, hanExpression(term)));
        taken = n;
      }
    }
    if (taken === 0) {
      pending += chars[i];
      taken = 1;
    }
    i += taken;
  }
  flush();
  return out;
}

/** The FTS5 MATCH expression: every concept must match (`all`), or any of them. */
export function matchExpression(concepts: readonly QueryConcept[], mode: 'all' | 'any'): string {
  const groups = concepts.map((c) => (c.alternatives.length === 1 ? c.alternatives[0]! : `(${c.alternatives.join(' OR ')})`));
  return groups.join(mode === 'all' ? ' AND ' : ' OR ');
}

export const hasHan = (text: string): boolean => HAN.test(text);
