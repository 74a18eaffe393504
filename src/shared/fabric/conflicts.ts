import { deltaE76, hexToLab, isHex } from './colour-space';
import { extractPrompt } from './extract';
import {
  CLOSURE_NAMES,
  COLOURS,
  GARMENT_NAMES,
  LENGTH_NAMES,
  NECKLINE_NAMES,
  SLEEVE_NAMES,
  colourEntry,
} from './lexicon';
import { nearestColour } from './link';
import { normalisePrompt } from './normalise';
import type { Bilingual, ColourId, GarmentAttributes, GarmentId, PromptExtraction } from './types';

/**
 * The attributes a flat carries, as plain values: the flat document's `attributes` object fits as it
 * is (category, sleeveLength, and free-text neckline/length/closure/pockets in either language), plus
 * the main fill colour if the caller knows it.
 */
export interface FlatAttributesInput {
  category?: string | null;
  sleeveLength?: string | null;
  neckline?: string | null;
  length?: string | null;
  closure?: string | null;
  pockets?: string | boolean | null;
  /** Main colour of the flat: a hex fill or a colour word. */
  colour?: string | null;
}

export type ConflictField = 'garment' | 'sleeve' | 'neckline' | 'length' | 'closure' | 'pockets' | 'colour';

export interface Conflict {
  field: ConflictField;
  /** Canonical ids (or true/false for pockets) on each side. */
  text: string | boolean;
  flat: string | boolean;
  message: Bilingual;
  /** Which side each of the two variants honours. */
  imageBiased: 'flat';
  textBiased: 'text';
}

const CATEGORY_TO_GARMENT: Record<string, GarmentId> = {
  't-shirt': 't-shirt',
  shirt: 'shirt',
  polo: 'polo',
  hoodie: 'hoodie',
  sweatshirt: 'hoodie',
  sweater: 'sweater',
  jacket: 'jacket',
  coat: 'coat',
  dress: 'dress',
  skirt: 'skirt',
  trousers: 'trousers',
  shorts: 'shorts',
};

const SLEEVE_TO_ID: Record<string, GarmentAttributes['sleeve']> = {
  none: 'sleeveless',
  sleeveless: 'sleeveless',
  cap: 'short',
  short: 'short',
  elbow: 'elbow',
  'three-quarter': 'three-quarter',
  long: 'long',
};

/** CIE76 distance under which a flat's fill reads as the colour asked for. */
const SAME_COLOUR = 12;

const NO_POCKETS = new Set(['none', 'no', 'false', '0', 'no pockets', 'without pockets', 'pocketless', '无', '无口袋', '没有', '没有口袋']);

/** The flat's attributes in the extractor's canonical ids; free text is read with the same lexicon. */
export function normaliseFlatAttributes(flat: FlatAttributesInput): GarmentAttributes & { colour: ColourId | null } {
  const read = (value: string | null | undefined): PromptExtraction | null => (value ? extractPrompt(value) : null);
  const neck = read(flat.neckline);
  const len = read(flat.length);
  const clo = read(flat.closure);
  let pockets: boolean | null = null;
  if (typeof flat.pockets === 'boolean') pockets = flat.pockets;
  else if (typeof flat.pockets === 'string' && flat.pockets.trim() !== '') {
    const p = normalisePrompt(flat.pockets);
    pockets = NO_POCKETS.has(p) ? false : (read(flat.pockets)?.pockets ?? true);
  }
  let colour: ColourId | null = null;
  if (flat.colour) colour = isHex(flat.colour) ? nearestColour(flat.colour, COLOURS) : (extractPrompt(flat.colour).colours[0] ?? null);
  return {
    garment: flat.category ? (CATEGORY_TO_GARMENT[flat.category] ?? null) : null,
    sleeve: flat.sleeveLength ? (SLEEVE_TO_ID[flat.sleeveLength] ?? null) : null,
    neckline: neck?.neckline ?? null,
    length: len?.length ?? null,
    closure: clo?.closure ?? null,
    pockets,
    fit: null,
    colour,
  };
}

const POCKET_NAMES: Record<'true' | 'false', Bilingual> = {
  true: { en: 'pockets', zh: '有口袋' },
  false: { en: 'no pockets', zh: '无口袋' },
};

function article(garment: GarmentId): string {
  const en = GARMENT_NAMES[garment].en;
  return en.endsWith('s') && (garment === 'trousers' || garment === 'shorts') ? en : `${/^[aeiou]/i.test(en) ? 'an' : 'a'} ${en}`;
}

function sentence(field: ConflictField, text: Bilingual, flat: Bilingual, flatEn: string): Bilingual {
  const isGarment = field === 'garment';
  const isColour = field === 'colour';
  const flatVerbEn = isGarment ? 'the flat is' : isColour ? 'the flat is coloured' : 'the flat has';
  const flatVerbZh = isGarment || isColour ? '款式图是' : '款式图为';
  return {
    en: `Text asks for ${text.en}; ${flatVerbEn} ${flat.en}. The image-biased variant keeps ${flatEn}; the text-biased variant follows the text.`,
    zh: `文字要求${text.zh}；${flatVerbZh}${flat.zh}。图像优先的版本保留${flat.zh}；文字优先的版本按文字生成。`,
  };
}

/**
 * What the text asks for against what the flat shows, one plain sentence per disagreement in both
 * languages. Only attributes stated on both sides can conflict: a prompt silent on sleeves leaves the
 * flat's sleeves alone in both variants.
 */
export function detectConflicts(prompt: string | PromptExtraction, flatInput: FlatAttributesInput): Conflict[] {
  const asked = typeof prompt === 'string' ? extractPrompt(prompt) : prompt;
  const flat = normaliseFlatAttributes(flatInput);
  const conflicts: Conflict[] = [];
  const push = (field: ConflictField, text: string | boolean, flatValue: string | boolean, t: Bilingual, f: Bilingual, keep: string) =>
    conflicts.push({ field, text, flat: flatValue, message: sentence(field, t, f, keep), imageBiased: 'flat', textBiased: 'text' });

  if (asked.garment && flat.garment && asked.garment !== flat.garment) {
    const t = { en: article(asked.garment), zh: GARMENT_NAMES[asked.garment].zh };
    const f = { en: article(flat.garment), zh: GARMENT_NAMES[flat.garment].zh };
    push('garment', asked.garment, flat.garment, t, f, `the ${GARMENT_NAMES[flat.garment].en}`);
  }
  if (asked.sleeve && flat.sleeve && asked.sleeve !== flat.sleeve) {
    push('sleeve', asked.sleeve, flat.sleeve, SLEEVE_NAMES[asked.sleeve], SLEEVE_NAMES[flat.sleeve], SLEEVE_NAMES[flat.sleeve].en);
  }
  if (asked.neckline && flat.neckline && asked.neckline !== flat.neckline) {
    const keep = NECKLINE_NAMES[flat.neckline].en.replace(/^an? /, 'the ');
    push('neckline', asked.neckline, flat.neckline, NECKLINE_NAMES[asked.neckline], NECKLINE_NAMES[flat.neckline], keep);
  }
  if (asked.length && flat.length && asked.length !== flat.length) {
    const keep = LENGTH_NAMES[flat.length].en.replace(/^an? /, 'the ');
    push('length', asked.length, flat.length, LENGTH_NAMES[asked.length], LENGTH_NAMES[flat.length], keep);
  }
  if (asked.closure && flat.closure && asked.closure !== flat.closure) {
    const keep = CLOSURE_NAMES[flat.closure].en.replace(/^an? /, 'the ');
    push('closure', asked.closure, flat.closure, CLOSURE_NAMES[asked.closure], CLOSURE_NAMES[flat.closure], keep);
  }
  if (asked.pockets !== null && flat.pockets !== null && asked.pockets !== flat.pockets) {
    const t = POCKET_NAMES[String(asked.pockets) as 'true' | 'false'];
    const f = POCKET_NAMES[String(flat.pockets) as 'true' | 'false'];
    push('pockets', asked.pockets, flat.pockets, t, f, flat.pockets ? 'the pockets' : 'the garment without pockets');
  }
  // A fill between two named colours is not a conflict with either of them: a hex fill agrees with an
  // asked colour within SAME_COLOUR, whatever name is nearest to it.
  const fillHex = flatInput.colour && isHex(flatInput.colour) ? flatInput.colour : null;
  const agrees = (id: ColourId) => id === flat.colour || (fillHex !== null && deltaE76(hexToLab(fillHex), hexToLab(colourEntry(id).hex)) <= SAME_COLOUR);
  if (asked.colours.length > 0 && flat.colour && !asked.colours.some(agrees)) {
    const t = joinColours(asked.colours);
    const f = { en: colourEntry(flat.colour).name.en.toLowerCase(), zh: colourEntry(flat.colour).name.zh };
    push('colour', asked.colours.join('+'), flat.colour, t, f, f.en);
  }
  return conflicts;
}

function joinColours(ids: readonly ColourId[]): Bilingual {
  const names = ids.map((id) => colourEntry(id).name);
  return { en: names.map((n) => n.en.toLowerCase()).join(' and '), zh: names.map((n) => n.zh).join('和') };
}
