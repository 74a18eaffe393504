import { COLOURS, FABRICS } from './lexicon';
import { normalisePrompt } from './normalise';

/**
 * Searching prompts across the studio's two languages: a word of the query is found in a prompt
 * either as written or as any of its equivalents in the lexicon, so "qipao" finds 旗袍 and 真丝
 * finds "silk". Groups are narrow on purpose (one garment name, one fabric, one colour): "qipao"
 * must not find every dress.
 */

/** Garment and cloth names the fabric and colour tables do not carry, each with its translations. */
const NAMED_GARMENTS: readonly (readonly string[])[] = [
  ['旗袍', 'qipao', 'cheongsam'],
  ['马面裙', 'mamianqun', 'horse face skirt'],
  ['汉服', 'hanfu'],
  ['唐装', 'tang suit'],
  ['中山装', 'mao suit', 'zhongshan suit'],
  ['T恤', 't shirt', 'tee'],
  ['卫衣', 'hoodie', 'sweatshirt'],
  ['夹克', 'jacket'],
  ['连衣裙', 'dress'],
  ['衬衫', 'shirt'],
];

/** Every group of equivalent terms, normalised, longest terms first within the scan below. */
export const SEARCH_EQUIVALENTS: readonly (readonly string[])[] = [
  ...NAMED_GARMENTS,
  ...FABRICS.map((f) => [f.name.en, f.name.zh, ...f.terms.en, ...f.terms.zh]),
  ...COLOURS.map((c) => [c.name.en, c.name.zh, ...c.terms.en, ...c.terms.zh]),
].map((group) => [...new Set(group.map(normalisePrompt))]);

/** term → the groups it belongs to ("jean" is denim only; a term in several groups matches any). */
const GROUPS_OF = new Map<string, (readonly string[])[]>();
for (const group of SEARCH_EQUIVALENTS) for (const term of group) GROUPS_OF.set(term, [...(GROUPS_OF.get(term) ?? []), group]);
const TERMS = [...GROUPS_OF.keys()].sort((a, b) => b.length - a.length);

const isLatinTerm = (term: string) => /[a-z]/.test(term);

/** Whether `term` stands in `text`: Latin terms as whole words ("tee" not in "teeth"), Chinese anywhere. */
function contains(text: string, term: string): boolean {
  if (!isLatinTerm(term)) return text.includes(term);
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![a-z0-9])${escaped}(?![a-z0-9])`).test(text);
}

/**
 * The query's parts: each lexicon term it holds (longest first, Latin ones as whole words) with its
 * equivalents, and what is left as words to find as written.
 */
export function searchParts(query: string): { alternatives: (readonly string[])[]; words: string[] } {
  let rest = normalisePrompt(query);
  const alternatives: (readonly string[])[] = [];
  for (const term of TERMS) {
    if (!contains(rest, term)) continue;
    alternatives.push([...new Set(GROUPS_OF.get(term)!.flat())]);
    rest = isLatinTerm(term) ? rest.replace(new RegExp(`(?<![a-z0-9])${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![a-z0-9])`, 'g'), ' ') : rest.split(term).join(' ');
  }
  const words = rest.split(/[\s,.;:!?、，。；：！？/()（）]+/).filter(Boolean);
  return { alternatives, words };
}

/**
 * Whether a prompt answers a search: the whole query as written, or every lexicon term of the query
 * (in either language) and every other word of it.
 */
export function promptMatches(prompt: string, query: string): boolean {
  const text = normalisePrompt(prompt);
  const q = normalisePrompt(query);
  if (!q) return true;
  if (text.includes(q)) return true;
  const { alternatives, words } = searchParts(q);
  if (alternatives.length === 0) return false;
  return alternatives.every((group) => group.some((term) => contains(text, term))) && words.every((w) => text.includes(w));
}
