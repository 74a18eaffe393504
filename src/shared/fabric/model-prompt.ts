import { extractPrompt } from './extract';
import { NEGATORS, TRIM_WORDS } from './lexicon';
import { CLAUSE_BREAK, isHan, normalisePrompt } from './normalise';
import type { ClosureId, ColourId, FabricId, FitId, GarmentId, LengthId, NecklineId, PromptExtraction, SleeveId, TermMatch } from './types';

/**
 * What a garment pack's text encoder is fed. SD 1.5's CLIP text encoder was trained on English
 * captions: Chinese reaches it as byte tokens it never learned, so a Chinese prompt conditions it on
 * noise. Such a pack gets English composed from what the lexicon read in the prompt, plus the
 * prompt's own English words. The bundled HiGarment pack keeps the prompt as typed: its fabric
 * fusion finds the fabric in the typed prompt through its own bilingual synonym table (格子 → plaid,
 * 条纹 → stripe), words the lexicon does not have, so composing would lose them.
 *
 * The architecture names are the pack manifest's (src/shared/packs/manifest.ts); they are listed
 * here as strings so the fabric module does not depend on the pack schema.
 */
const TEXT_ENCODER_READS: Readonly<Record<string, 'english' | 'as-typed'>> = {
  'sd15-ip-adapter': 'english',
  higarment: 'as-typed',
};

export interface ModelPrompt {
  /** The text the pack's tokenizer and text encoder receive. */
  text: string;
  /** True when the text was composed from the prompt (a Chinese or mixed prompt for an English-only encoder). */
  composed: boolean;
  /** Chinese words of the prompt the lexicon could not read, so the model never sees them (empty when not composed). */
  unread: string[];
}

/**
 * The prompt a garment pack of this architecture receives. An unknown architecture keeps the prompt
 * as typed: the studio cannot know what its encoder reads.
 */
export function modelPromptFor(architecture: string, prompt: string): ModelPrompt {
  if (TEXT_ENCODER_READS[architecture] !== 'english') return { text: prompt, composed: false, unread: [] };
  return englishModelPrompt(prompt);
}

/** Scripts CLIP's English BPE cannot read; a prompt without any is English already. */
const NOT_ENGLISH = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * English for an English-only text encoder. A prompt with no Chinese passes through, only its
 * whitespace folded. A Chinese or mixed one becomes, in the order SD 1.5 prompts are written (the
 * garment first, then its details, comma-separated, as product captions read):
 *
 *   a {colours} {fabric} {garment}, {sleeves}, {neckline}, {length}, {closure}, {fit}, {pockets},
 *   {trim fabric} trim, {the prompt's English words}
 *
 * e.g. 红色真丝旗袍，长袖，立领，及踝 → "a red silk qipao, long sleeves, mandarin collar, ankle length".
 * Every part comes from a word of the prompt: a slot the prompt leaves empty is left out, negated
 * terms are left out (SD 1.5 reads "no hood" as a hood), except pockets, which the lexicon reads as
 * "no pockets". An English term keeps the technician's own word ("velour", not the category
 * "velvet"); a Chinese term gets its own English where it names more than its category
 * (旗袍 → qipao, not dress), else the category's name. No style words are added: framing is the
 * pack's business (its negative prompt, its fine-tune).
 */
export function englishModelPrompt(prompt: string): ModelPrompt {
  if (!NOT_ENGLISH.test(prompt)) return { text: prompt.replace(/\s+/g, ' ').trim(), composed: false, unread: [] };
  const text = normalisePrompt(prompt);
  const e = extractPrompt(prompt);
  const live = e.matches.filter((m) => !m.negated);
  const hitOf = (facet: string): TermMatch | undefined => live.find((m) => m.facets.includes(facet));
  /** The hit's own English where it is English, else the Chinese term's own English, else the category's. */
  const say = (facet: string, category: string): { words: string; hit: TermMatch | undefined } => {
    const hit = hitOf(facet);
    if (!hit || NOT_ENGLISH.test(hit.text)) return { words: (hit && ZH_ENGLISH[hit.text]) ?? category, hit };
    return { words: hit.text, hit };
  };

  const garment = e.garment ? say(`garment:${e.garment}`, GARMENT_EN[e.garment]) : null;
  // One term can say two things (牛仔裤: trousers and denim; 连帽卫衣: hoodie and hood): it is said once.
  const ownedByGarment = (hit: TermMatch | undefined) => !!garment?.hit && hit === garment.hit;

  const head: string[] = e.colours.map((id) => say(`colour:${id}`, COLOUR_EN[id]).words);
  const fabric = fabricWords(e, live, say);
  if (fabric && !ownedByGarment(fabric.hit) && !(garment && garment.words.includes(fabric.words))) head.push(fabric.words);
  if (garment) head.push(garment.words);

  const details: string[] = [];
  const add = (part: { words: string; hit: TermMatch | undefined } | null) => {
    if (part && !ownedByGarment(part.hit) && !details.includes(part.words)) details.push(part.words);
  };
  if (e.sleeve) add(say(`sleeve:${e.sleeve}`, SLEEVE_EN[e.sleeve]));
  if (e.neckline) add(say(`neckline:${e.neckline}`, NECKLINE_EN[e.neckline]));
  if (e.length) add(say(`length:${e.length}`, LENGTH_EN[e.length]));
  if (e.closure) add(say(`closure:${e.closure}`, CLOSURE_EN[e.closure]));
  if (e.fit) add(say(`fit:${e.fit}`, FIT_EN[e.fit]));
  if (e.pockets === true) add(say('pockets:true', 'pockets'));
  if (e.pockets === false) details.push('no pockets');
  for (const id of e.trimFabrics) details.push(`${say(`fabric:${id}`, FABRIC_EN[id]).words} trim`);

  const { english, unread } = leftovers(text, e.matches, e.trimFabrics.length > 0);
  const parts = [head.length ? withArticle(head.join(' '), garment?.words ?? null) : '', ...details, ...english.filter((w) => !details.includes(w))];
  return { text: parts.filter(Boolean).join(', '), composed: true, unread };
}

/** The fabric's words: its term, or "cotton" when only a fibre word was said (纯棉), never the category it was guessed as. */
function fabricWords(
  e: PromptExtraction,
  live: TermMatch[],
  say: (facet: string, category: string) => { words: string; hit: TermMatch | undefined },
): { words: string; hit: TermMatch | undefined } | null {
  if (!e.fabric) return null;
  const said = say(`fabric:${e.fabric}`, FABRIC_EN[e.fabric]);
  if (said.hit) return said;
  const fibre = live.find((m) => m.facets.includes('fibre'));
  return fibre ? { words: NOT_ENGLISH.test(fibre.text) ? 'cotton' : fibre.text, hit: fibre } : said;
}

/** "a red silk qipao", "an off-white shirt"; none before a plural garment ("black wool trousers"). */
function withArticle(phrase: string, garment: string | null): string {
  if (garment && PLURAL_GARMENT.test(garment)) return phrase;
  return `${/^[aeiou]/.test(phrase) ? 'an' : 'a'} ${phrase}`;
}

const PLURAL_GARMENT = /(trousers|shorts|jeans|pants|leggings|sweatpants|joggers|chinos|slacks|cords)$/;

/** Words that carry nothing alone and are trimmed from the ends of a run of the prompt's English. */
const FILLER = new Set(['a', 'an', 'the', 'and', 'or', 'in', 'with', 'of', 'for', 'to', 'on', 'made', 'no', 'not', 'without', 'non', 'nor']);
/** Chinese filler around unread words: particles, measure words, "with", "want". */
const ZH_FILLER = /^[的和与及带有配加要件条款式一个是很在]+|[的和与及带有配加要件条款式一个是很在]+$/gu;

/**
 * The prompt's words outside every lexicon match: English runs pass on to the model as the
 * technician wrote them (lower case, as CLIP reads them); Chinese runs cannot, and are named.
 */
function leftovers(text: string, matches: readonly TermMatch[], trims: boolean): { english: string[]; unread: string[] } {
  const covered = new Array<boolean>(text.length).fill(false);
  for (const m of matches) for (let i = m.start; i < m.end; i++) covered[i] = true;
  const english: string[] = [];
  const unread: string[] = [];
  let run = '';
  let han = false;
  const flush = () => {
    if (han) {
      // A negator belongs to the term it negates, a trim word ("lace trim", 蕾丝花边) to its trim fabric: both were read.
      let word = run.replace(/\s+/g, '');
      for (const said of NEGATORS.zh) word = word.replaceAll(said, '');
      word = word.replace(ZH_FILLER, '');
      if (trims && TRIM_WORDS.zh.includes(word)) word = '';
      if (word && !unread.includes(word)) unread.push(word);
    } else {
      const words = run.replace(/[^a-z0-9'%&/+.\s]/g, ' ').split(/\s+/).filter(Boolean);
      while (words.length && FILLER.has(words[0]!)) words.shift();
      while (words.length && FILLER.has(words[words.length - 1]!)) words.pop();
      if (trims && words.every((w) => TRIM_WORDS.en.includes(w))) words.length = 0;
      const phrase = words.join(' ').replace(/^[.'/+&]+|[.'/+&]+$/g, '');
      if (phrase && !english.includes(phrase)) english.push(phrase);
    }
    run = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (covered[i] || CLAUSE_BREAK.test(ch)) {
      flush();
      continue;
    }
    if (ch === ' ') {
      // A space inside an English run is part of it; between Chinese characters it ends nothing.
      run += ch;
      continue;
    }
    const isChinese = isHan(ch);
    if (run.trim() && isChinese !== han) flush();
    han = isChinese;
    run += ch;
  }
  flush();
  return { english, unread };
}

/** Category names as SD 1.5 captions write them. */
const GARMENT_EN: Record<GarmentId, string> = {
  't-shirt': 't-shirt',
  shirt: 'shirt',
  polo: 'polo shirt',
  hoodie: 'hoodie',
  sweater: 'sweater',
  jacket: 'jacket',
  coat: 'coat',
  dress: 'dress',
  skirt: 'skirt',
  trousers: 'trousers',
  shorts: 'shorts',
};

const FABRIC_EN: Record<FabricId, string> = {
  denim: 'denim',
  'cotton-twill': 'cotton twill',
  'cotton-poplin': 'cotton poplin',
  silk: 'silk',
  satin: 'satin',
  chiffon: 'chiffon',
  linen: 'linen',
  wool: 'wool',
  'knit-jersey': 'knit',
  velvet: 'velvet',
  corduroy: 'corduroy',
  leather: 'leather',
  lace: 'lace',
  fleece: 'fleece',
  tweed: 'tweed',
};

const COLOUR_EN: Record<ColourId, string> = {
  black: 'black',
  white: 'white',
  'off-white': 'off-white',
  grey: 'grey',
  'light-grey': 'light grey',
  charcoal: 'charcoal grey',
  navy: 'navy blue',
  blue: 'blue',
  'light-blue': 'light blue',
  teal: 'teal',
  red: 'red',
  burgundy: 'burgundy',
  pink: 'pink',
  coral: 'coral',
  orange: 'orange',
  yellow: 'yellow',
  mustard: 'mustard yellow',
  green: 'green',
  'dark-green': 'dark green',
  olive: 'olive green',
  mint: 'mint green',
  khaki: 'khaki',
  beige: 'beige',
  camel: 'camel',
  brown: 'brown',
  purple: 'purple',
  lavender: 'lavender',
  gold: 'gold',
  silver: 'silver',
};

const SLEEVE_EN: Record<SleeveId, string> = {
  sleeveless: 'sleeveless',
  short: 'short sleeves',
  elbow: 'elbow-length sleeves',
  'three-quarter': 'three-quarter sleeves',
  long: 'long sleeves',
};

const NECKLINE_EN: Record<NecklineId, string> = {
  crew: 'crew neck',
  'v-neck': 'v-neck',
  scoop: 'scoop neck',
  boat: 'boat neck',
  square: 'square neck',
  turtleneck: 'turtleneck',
  'mock-neck': 'mock neck',
  collar: 'shirt collar',
  mandarin: 'mandarin collar',
  lapel: 'lapels',
  hood: 'hood',
};

const LENGTH_EN: Record<LengthId, string> = {
  cropped: 'cropped',
  short: 'short length',
  knee: 'knee length',
  midi: 'midi length',
  long: 'long length',
};

const CLOSURE_EN: Record<ClosureId, string> = {
  button: 'button front',
  zip: 'zip front',
  snap: 'snap buttons',
  toggle: 'toggle fastening',
  wrap: 'wrap front',
  pullover: 'pullover',
};

const FIT_EN: Record<FitId, string> = {
  slim: 'slim fit',
  regular: 'regular fit',
  loose: 'loose fit',
  oversized: 'oversized',
};

/**
 * Chinese lexicon terms that name more than their category, with the English a caption would use
 * (the category would say "dress" for 旗袍). Keys are lexicon terms as normalisePrompt writes them.
 */
export const ZH_ENGLISH: Readonly<Record<string, string>> = {
  // Garments.
  // "qipao dress": SD 1.5 captions say it so, and the category word anchors a rare token.
  旗袍: 'qipao dress',
  礼服: 'gown',
  礼服裙: 'gown',
  吊带裙: 'slip dress',
  衬衫裙: 'shirt dress',
  t恤裙: 't-shirt dress',
  背带裙: 'pinafore dress',
  短裙: 'mini skirt',
  迷你裙: 'mini skirt',
  长裙: 'maxi skirt',
  开衫: 'cardigan',
  针织开衫: 'knit cardigan',
  针织衫: 'knit sweater',
  雪纺衫: 'chiffon blouse',
  女衫: 'blouse',
  西装: 'blazer',
  西服: 'blazer',
  棒球服: 'baseball jacket',
  皮衣: 'leather jacket',
  皮夹克: 'leather jacket',
  风衣: 'trench coat',
  羽绒服: 'down coat',
  派克: 'parka',
  派克服: 'parka',
  雨衣: 'raincoat',
  棉服: 'padded coat',
  棉衣: 'padded coat',
  连帽卫衣: 'hooded sweatshirt',
  帽衫: 'hooded sweatshirt',
  牛仔裤: 'jeans',
  皮裤: 'leather trousers',
  阔腿裤: 'wide-leg trousers',
  西裤: 'tailored trousers',
  运动裤: 'sweatpants',
  卫裤: 'sweatpants',
  打底裤: 'leggings',
  工装裤: 'work trousers',
  // Fabrics.
  羊绒: 'cashmere',
  麂皮: 'suede',
  仿皮: 'faux leather',
  桑蚕丝: 'mulberry silk',
  乔其纱: 'georgette',
  乔其: 'georgette',
  罗纹: 'rib knit',
  天鹅绒: 'velvet',
  金丝绒: 'velvet',
  真丝缎: 'silk satin',
  丝缎: 'silk satin',
  卡其布: 'twill',
  华达呢: 'gabardine',
  粗花呢: 'tweed',
  人字呢: 'herringbone tweed',
  羊羔绒: 'sherpa',
  // Colours.
  大红: 'bright red',
  宝蓝: 'royal blue',
  孔雀蓝: 'teal',
  象牙白: 'ivory',
  香槟金: 'champagne gold',
  // Necklines.
  深v: 'deep v-neck',
  娃娃领: 'peter pan collar',
  青果领: 'shawl collar',
  戗驳领: 'peak lapels',
  平驳领: 'notch lapels',
  polo领: 'polo collar',
  中式立领: 'mandarin collar',
  // Lengths.
  及踝: 'ankle length',
  拖地: 'floor length',
  及地: 'floor length',
  // Closures.
  双排扣: 'double-breasted',
  单排扣: 'single-breasted',
  牛角扣: 'toggle fastening',
  四合扣: 'snap buttons',
  暗扣: 'concealed buttons',
  // Pockets.
  贴袋: 'patch pockets',
  斜插袋: 'slant pockets',
  袋鼠兜: 'kangaroo pocket',
  胸袋: 'chest pocket',
  侧袋: 'side pockets',
  插袋: 'side pockets',
};
