import {
  COLOURS,
  COLOUR_IDS,
  FABRICS,
  FABRIC_IDS,
  FIT_IDS,
  FIT_NAMES,
  GARMENT_IDS,
  GARMENT_NAMES,
  extractPrompt,
  sourceSpan,
  type Bilingual,
  type ColourId,
  type FabricId,
  type FitId,
  type GarmentId,
  type PromptExtraction,
  type TermMatch,
} from '../../../../shared/fabric';

/**
 * The prompt's structured fields and its free text, kept in step. The text is the truth the generator
 * reads; the fields are a view of it (through the extractor) and an editor for it (by rewriting exactly
 * the words the extractor read for that attribute, or appending a phrase when the text never said it).
 */
export type StructuredField = 'garment' | 'colour' | 'fabric' | 'fit';
export type PromptLanguage = 'en' | 'zh';

export interface StructuredValues {
  garment: GarmentId | null;
  colour: ColourId | null;
  fabric: FabricId | null;
  fit: FitId | null;
}

export const STRUCTURED_FIELDS: readonly StructuredField[] = ['garment', 'colour', 'fabric', 'fit'];

/** Every value a field can take, in lexicon order (the canonical vocabulary). */
export const FIELD_VALUES: { [F in StructuredField]: readonly NonNullable<StructuredValues[F]>[] } = {
  garment: GARMENT_IDS,
  colour: COLOUR_IDS,
  fabric: FABRIC_IDS,
  fit: FIT_IDS,
};

/** A value's name in the UI language, for the select options and the chips. */
export function valueName(field: StructuredField, value: string): Bilingual {
  switch (field) {
    case 'garment':
      return GARMENT_NAMES[value as GarmentId];
    case 'fit':
      return FIT_NAMES[value as FitId];
    case 'colour':
      return COLOURS.find((c) => c.id === value)!.name;
    case 'fabric':
      return FABRICS.find((f) => f.id === value)!.name;
  }
}

/** The prompt's language: Chinese when it holds any Han character, English when it holds only Latin words. */
export function promptLanguage(text: string, fallback: PromptLanguage): PromptLanguage {
  if (/\p{Script=Han}/u.test(text)) return 'zh';
  if (/[a-z]/i.test(text)) return 'en';
  return fallback;
}

export function structuredValues(x: PromptExtraction): StructuredValues {
  return { garment: x.garment, colour: x.colours[0] ?? null, fabric: x.fabric, fit: x.fit };
}

/**
 * The words a technician would write for a value, in the prompt's language. Each is a lexicon term the
 * extractor reads back as the same value (the unit tests hold every value to that).
 */
export function phraseFor(field: StructuredField, value: string, lang: PromptLanguage): string {
  if (field === 'colour') {
    const c = COLOURS.find((e) => e.id === value)!;
    return lang === 'zh' ? c.name.zh : c.name.en.toLowerCase();
  }
  if (field === 'fabric') {
    const f = FABRICS.find((e) => e.id === value)!;
    return lang === 'zh' ? f.name.zh : f.terms.en[0]!;
  }
  const name = valueName(field, value);
  return lang === 'zh' ? name.zh : name.en;
}

/** The match the extractor took the field's current value from, if a word (not an inference) gave it. */
function matchFor(x: PromptExtraction, field: StructuredField): TermMatch | undefined {
  const live = x.matches.filter((m) => !m.negated);
  switch (field) {
    case 'garment':
      // The compound's head ("shirt dress" is a dress): the last garment word naming the garment.
      return x.garment ? live.filter((m) => m.facets.includes(`garment:${x.garment}`))[0] : undefined;
    case 'colour':
      return x.colours[0] ? live.find((m) => m.facets.includes(`colour:${x.colours[0]}`)) : undefined;
    case 'fabric':
      // "cotton" names a fibre, and the fabric is inferred from it: the fibre word is what to rewrite.
      return x.fabric ? (live.find((m) => m.facets.includes(`fabric:${x.fabric}`)) ?? live.find((m) => m.facets.includes('fibre'))) : undefined;
    case 'fit':
      return x.fit ? live.find((m) => m.facets.includes(`fit:${x.fit}`)) : undefined;
  }
}

const SEPARATOR: Record<PromptLanguage, string> = { en: ', ', zh: '，' };

/** Removes a span and the space or separator it leaves dangling, so "navy, denim jacket" loses "navy, ". */
function cut(text: string, start: number, end: number): string {
  let before = text.slice(0, start);
  let after = text.slice(end);
  if (/^\s*[,，、]\s*/.test(after) && (before.trim() === '' || /[,，、]\s*$/.test(before))) after = after.replace(/^\s*[,，、]\s*/, '');
  else if (/\s$/.test(before) && /^\s/.test(after)) after = after.replace(/^\s+/, '');
  else if (before.trim() === '') after = after.replace(/^\s+/, '');
  if (after.trim() === '') before = before.replace(/[\s,，、]+$/, '');
  return before + after;
}

/**
 * The text with one field set to a value (or removed, with null): the words the extractor read for it
 * are replaced in place; an attribute the text never named is appended as a phrase in the prompt's language.
 */
export function setField(text: string, field: StructuredField, value: string | null, uiLanguage: PromptLanguage): string {
  const lang = promptLanguage(text, uiLanguage);
  const x = extractPrompt(text);
  const match = matchFor(x, field);
  if (match) {
    const span = sourceSpan(text, match.start, match.end);
    if (value === null) return cut(text, span.start, span.end);
    return text.slice(0, span.start) + phraseFor(field, value, lang) + text.slice(span.end);
  }
  if (value === null) return text;
  const phrase = phraseFor(field, value, lang);
  const trimmed = text.replace(/[\s,，、]+$/, '');
  if (trimmed === '') return phrase;
  // After a sentence end the separator is already there.
  return /[.。!！?？;；]$/.test(trimmed) ? `${trimmed}${lang === 'zh' ? '' : ' '}${phrase}` : `${trimmed}${SEPARATOR[lang]}${phrase}`;
}

/**
 * The details: the prompt less the garment, colour, fabric and fit words, i.e. what the fields do not
 * hold (sleeves, pockets, neckline, anything else the technician wrote).
 */
export function detailsOf(text: string): string {
  let rest = text;
  // Cut one field at a time, re-reading after each cut, so every span is taken from the current text.
  for (const field of STRUCTURED_FIELDS) {
    const match = matchFor(extractPrompt(rest), field);
    if (match) {
      const span = sourceSpan(rest, match.start, match.end);
      rest = cut(rest, span.start, span.end);
    }
  }
  return rest.trim().replace(/^[,，、]\s*/, '');
}

/** The garment, colour, fabric and fit as one phrase in the language's own order. */
export function headPhrase(values: StructuredValues, lang: PromptLanguage): string {
  // 修身藏青色牛仔布夹克 / "slim fit navy denim jacket": fit, colour, fabric, then the garment.
  const words: string[] = [];
  for (const field of ['fit', 'colour', 'fabric', 'garment'] as const) {
    const v = values[field];
    if (v) words.push(phraseFor(field, v, lang));
  }
  return words.join(lang === 'zh' ? '' : ' ');
}

/**
 * The text after the details field was edited: the four fields as one head phrase, then the details.
 * Editing details is the one place the head words move to their canonical order.
 */
export function withDetails(text: string, details: string, uiLanguage: PromptLanguage): string {
  const lang = promptLanguage(text + details, uiLanguage);
  const head = headPhrase(structuredValues(extractPrompt(text)), lang);
  const rest = details.trim();
  if (!head) return rest;
  if (!rest) return head;
  return `${head}${SEPARATOR[lang]}${rest}`;
}

/** A technician's correction of one field: what the text said (to reset to), and what it should say. */
export interface Override {
  from: string | null;
  to: string | null;
}
export type Overrides = Partial<Record<StructuredField, Override>>;

/** The fields as shown: a correction wins over the extraction. */
export function effectiveValues(extracted: StructuredValues, overrides: Overrides): StructuredValues {
  const out = { ...extracted };
  for (const field of STRUCTURED_FIELDS) {
    const o = overrides[field];
    if (o) (out as Record<StructuredField, string | null>)[field] = o.to;
  }
  return out;
}
