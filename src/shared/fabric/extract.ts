import {
  ATTRIBUTE_TERMS,
  COLOURS,
  FABRICS,
  FIBRE_TERMS,
  NEGATORS,
  TRIM_WORDS,
  fabricForCotton,
  type Facet,
} from './lexicon';
import { CLAUSE_BREAK, isHan, isLatin, normalisePrompt } from './normalise';
import type { ColourId, FabricId, GarmentId, PromptExtraction, TermMatch } from './types';

/** What a matched term says; the lexicon's facets plus the fabric, fibre and colour tables. */
type MatchFacet = Facet | { kind: 'colour'; id: ColourId } | { kind: 'fibre' };

interface Term {
  text: string;
  facets: MatchFacet[];
}

interface Hit {
  start: number;
  end: number;
  text: string;
  facets: MatchFacet[];
  negated: boolean;
}

/** Terms by first character, longest first, built once: the lexicon is static data. */
let INDEX: Map<string, Term[]> | null = null;

function buildIndex(): Map<string, Term[]> {
  const byText = new Map<string, Term>();
  const add = (raw: string, facets: MatchFacet[]) => {
    const text = normalisePrompt(raw);
    if (!text) return;
    const existing = byText.get(text);
    if (existing) {
      // The same word in two tables says both things (rare; keep every facet once).
      for (const facet of facets) if (!existing.facets.some((e) => sameFacet(e, facet))) existing.facets.push(facet);
    } else byText.set(text, { text, facets: [...facets] });
  };
  for (const fabric of FABRICS) for (const t of [...fabric.terms.en, ...fabric.terms.zh]) add(t, [{ kind: 'fabric', id: fabric.id }]);
  for (const t of [...FIBRE_TERMS.en, ...FIBRE_TERMS.zh]) add(t, [{ kind: 'fibre' }]);
  for (const colour of COLOURS) for (const t of [...colour.terms.en, ...colour.terms.zh]) add(t, [{ kind: 'colour', id: colour.id }]);
  for (const entry of ATTRIBUTE_TERMS) for (const t of [...(entry.en ?? []), ...(entry.zh ?? [])]) add(t, entry.facets);
  const index = new Map<string, Term[]>();
  for (const term of byText.values()) {
    const first = term.text[0]!;
    const list = index.get(first) ?? [];
    list.push(term);
    index.set(first, list);
  }
  for (const list of index.values()) list.sort((p, q) => q.text.length - p.text.length);
  return index;
}

function sameFacet(p: MatchFacet, q: MatchFacet): boolean {
  return JSON.stringify(p) === JSON.stringify(q);
}

/**
 * Longest match at each position. Chinese has no spaces, so terms match anywhere; a term that begins or
 * ends with a Latin letter must sit on a word boundary there ("hood" is not in "hoodie"), and an English
 * term also matches its plural (pockets, dresses). On equal length an exact term beats a plural, so
 * "shorts" is the garment, not "short" + s.
 */
function findHits(text: string): Hit[] {
  INDEX ??= buildIndex();
  const hits: Hit[] = [];
  let i = 0;
  while (i < text.length) {
    const candidates = INDEX.get(text[i]!) ?? [];
    let best: { term: Term; end: number; exact: boolean } | null = null;
    if (!(isLatin(text[i]) && isLatin(text[i - 1]))) {
      for (const term of candidates) {
        if (best && term.text.length + 2 < best.end - i) break;
        if (!text.startsWith(term.text, i)) continue;
        const end = i + term.text.length;
        const options: Array<{ end: number; exact: boolean }> = [{ end, exact: true }];
        if (isLatin(term.text[term.text.length - 1])) {
          if (text[end] === 's') options.push({ end: end + 1, exact: false });
          if (text.startsWith('es', end)) options.push({ end: end + 2, exact: false });
        }
        for (const option of options) {
          const endsWord = !isLatin(term.text[term.text.length - 1]) || !isLatin(text[option.end]);
          if (!endsWord) continue;
          const better =
            !best || option.end > best.end || (option.end === best.end && option.exact && !best.exact);
          if (better) best = { term, end: option.end, exact: option.exact };
        }
      }
    }
    if (best) {
      hits.push({ start: i, end: best.end, text: text.slice(i, best.end), facets: best.term.facets, negated: false });
      i = best.end;
    } else i += 1;
  }
  return hits;
}

/** The text between two hits, cut at the last clause break; `broken` when a break lies between. */
function gapBefore(text: string, hits: Hit[], k: number): { clause: string; broken: boolean } {
  const from = k === 0 ? 0 : hits[k - 1]!.end;
  const gap = text.slice(from, hits[k]!.start);
  let cut = -1;
  for (let j = gap.length - 1; j >= 0; j--) {
    if (CLAUSE_BREAK.test(gap[j]!)) {
      cut = j;
      break;
    }
  }
  return { clause: gap.slice(cut + 1), broken: cut >= 0 };
}

const NEGATORS_EN = new Set(NEGATORS.en);
const JOINERS = new Set(['or', 'and', 'nor', '或', '和', '或者', '也不']);

function markNegations(text: string, hits: Hit[]): void {
  for (let k = 0; k < hits.length; k++) {
    const { clause, broken } = gapBefore(text, hits, k);
    const words = clause.trim().split(/\s+/).filter(Boolean);
    const tail = words.slice(-4);
    const hanTail = clause.replace(/\s+/g, '').slice(-4);
    let negated = tail.some((w) => NEGATORS_EN.has(w)) || NEGATORS.zh.some((n) => hanTail.includes(n));
    // "no hood or pockets": the negation carries over a plain "or"/"and" in the same clause.
    if (!negated && k > 0 && !broken && hits[k - 1]!.negated) {
      const joiner = clause.trim();
      negated = joiner === '' || JOINERS.has(joiner);
    }
    hits[k]!.negated = negated;
  }
}

function adjacent(text: string, hits: Hit[], k: number, maxWords: number): boolean {
  if (k <= 0 || k >= hits.length) return false;
  const gap = text.slice(hits[k - 1]!.end, hits[k]!.start);
  if (CLAUSE_BREAK.test(gap)) return false;
  const words = gap.trim().split(/\s+/).filter(Boolean);
  if (words.some((w) => isHan(w[0]))) return words.join('').length <= maxWords;
  return words.length <= maxWords;
}

function facetOf<K extends MatchFacet['kind']>(hit: Hit | undefined, kind: K): Extract<MatchFacet, { kind: K }> | undefined {
  return hit?.facets.find((f): f is Extract<MatchFacet, { kind: K }> => f.kind === kind);
}

function isTrim(text: string, hits: Hit[], k: number): boolean {
  const hit = hits[k]!;
  const after = text.slice(hit.end).replace(/^\s+/, '');
  const nextWord = /^[a-zé]+/.exec(after)?.[0];
  if (nextWord && TRIM_WORDS.en.includes(nextWord)) return true;
  if (TRIM_WORDS.zh.some((w) => after.startsWith(w))) return true;
  // "corduroy collar", 灯芯绒翻领: a fabric right before a collar is the collar's fabric.
  const next = hits[k + 1];
  const neck = facetOf(next, 'neckline');
  return !!neck && ['collar', 'mandarin', 'lapel'].includes(neck.id) && adjacent(text, hits, k + 1, 0);
}

/**
 * Reads a technician's prompt, Chinese, English or both mixed, and returns the fabric, colours and
 * garment attributes it asks for, as canonical ids. Deterministic and dictionary-driven: every value
 * comes from a lexicon term, and `matches` shows which.
 */
export function extractPrompt(prompt: string): PromptExtraction {
  const text = normalisePrompt(prompt);
  const hits = findHits(text);
  markNegations(text, hits);

  // Garments: adjacent garment words form one compound whose last word is the head
  // ("shirt dress" is a dress, "dress shirt" a shirt); the first compound is the garment.
  let garmentIndex = -1;
  for (let k = 0; k < hits.length; k++) {
    if (hits[k]!.negated || !facetOf(hits[k], 'garment')) continue;
    if (garmentIndex === -1) garmentIndex = k;
    else if (garmentIndex === k - 1 && adjacent(text, hits, k, 0)) garmentIndex = k;
    else break;
  }
  const garment: GarmentId | null = garmentIndex >= 0 ? facetOf(hits[garmentIndex], 'garment')!.id : null;

  const out: PromptExtraction = {
    fabric: null,
    trimFabrics: [],
    colours: [],
    garment,
    sleeve: null,
    neckline: null,
    length: null,
    closure: null,
    pockets: null,
    fit: null,
    matches: [],
  };

  let firstFabric: FabricId | null = null;
  let sawFibre = false;
  for (let k = 0; k < hits.length; k++) {
    const hit = hits[k]!;
    out.matches.push(toTermMatch(hit));
    for (const facet of hit.facets) {
      if (facet.kind === 'pockets') {
        out.pockets ??= hit.negated ? false : facet.has;
        continue;
      }
      if (hit.negated) continue;
      switch (facet.kind) {
        case 'fabric': {
          // A fabric implied by another garment word ("blue jeans" beside the T-shirt) belongs to it.
          const ownGarment = facetOf(hit, 'garment');
          if (ownGarment && k !== garmentIndex) break;
          if (isTrim(text, hits, k)) {
            if (!out.trimFabrics.includes(facet.id)) out.trimFabrics.push(facet.id);
          } else firstFabric ??= facet.id;
          break;
        }
        case 'fibre':
          sawFibre = true;
          break;
        case 'colour':
          if (!out.colours.includes(facet.id)) out.colours.push(facet.id);
          break;
        case 'sleeve':
          out.sleeve ??= facet.id;
          break;
        case 'neckline':
          out.neckline ??= facet.id;
          break;
        case 'length':
          out.length ??= facet.id;
          break;
        case 'lengthWord': {
          if (facet.beforeGarmentOnly) {
            if (facetOf(hits[k + 1], 'garment') && hits[k + 1]!.start === hit.end) out.length ??= facet.id;
            break;
          }
          // "make the sleeves short", "short puff sleeves": the word describes the sleeve.
          const nearSleeve =
            (facetOf(hits[k - 1], 'sleeveNoun') && adjacent(text, hits, k, 1)) ||
            (facetOf(hits[k + 1], 'sleeveNoun') && adjacent(text, hits, k + 1, 1));
          if (nearSleeve) out.sleeve ??= facet.id;
          else out.length ??= facet.id;
          break;
        }
        case 'closure': {
          // "zipped pockets", 拉链口袋: the fastening belongs to the pocket, not the garment.
          if (facetOf(hits[k + 1], 'pockets') && adjacent(text, hits, k + 1, 2)) break;
          out.closure ??= facet.id;
          break;
        }
        case 'fit':
          out.fit ??= facet.id;
          break;
        case 'garment':
        case 'sleeveNoun':
        case 'none':
          break;
      }
    }
  }
  out.fabric = firstFabric ?? (sawFibre ? fabricForCotton(garment) : null);
  out.trimFabrics = out.trimFabrics.filter((id) => id !== out.fabric);
  return out;
}

function toTermMatch(hit: Hit): TermMatch {
  return {
    text: hit.text,
    start: hit.start,
    end: hit.end,
    negated: hit.negated,
    facets: hit.facets.map((f) => ('id' in f ? `${f.kind}:${f.id}` : f.kind === 'pockets' ? `pockets:${f.has}` : f.kind)),
  };
}
