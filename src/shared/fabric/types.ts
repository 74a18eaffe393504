/**
 * Canonical ids of everything the prompt extractor can name. They are the studio's vocabulary:
 * stored in the library, sent to the generator, shown translated in the UI.
 */
export const FABRIC_IDS = [
  'denim',
  'cotton-twill',
  'cotton-poplin',
  'silk',
  'satin',
  'chiffon',
  'linen',
  'wool',
  'knit-jersey',
  'velvet',
  'corduroy',
  'leather',
  'lace',
  'fleece',
  'tweed',
] as const;
export type FabricId = (typeof FABRIC_IDS)[number];

export const COLOUR_IDS = [
  'black',
  'white',
  'off-white',
  'grey',
  'light-grey',
  'charcoal',
  'navy',
  'blue',
  'light-blue',
  'teal',
  'red',
  'burgundy',
  'pink',
  'coral',
  'orange',
  'yellow',
  'mustard',
  'green',
  'dark-green',
  'olive',
  'mint',
  'khaki',
  'beige',
  'camel',
  'brown',
  'purple',
  'lavender',
  'gold',
  'silver',
] as const;
export type ColourId = (typeof COLOUR_IDS)[number];

export const GARMENT_IDS = [
  't-shirt',
  'shirt',
  'polo',
  'hoodie',
  'sweater',
  'jacket',
  'coat',
  'dress',
  'skirt',
  'trousers',
  'shorts',
] as const;
export type GarmentId = (typeof GARMENT_IDS)[number];

export const SLEEVE_IDS = ['sleeveless', 'short', 'elbow', 'three-quarter', 'long'] as const;
export type SleeveId = (typeof SLEEVE_IDS)[number];

export const NECKLINE_IDS = [
  'crew',
  'v-neck',
  'scoop',
  'boat',
  'square',
  'turtleneck',
  'mock-neck',
  'collar',
  'mandarin',
  'lapel',
  'hood',
] as const;
export type NecklineId = (typeof NECKLINE_IDS)[number];

/** Body length of the garment (not of the sleeve): a cropped top, a short/knee/midi/long skirt. */
export const LENGTH_IDS = ['cropped', 'short', 'knee', 'midi', 'long'] as const;
export type LengthId = (typeof LENGTH_IDS)[number];

export const CLOSURE_IDS = ['button', 'zip', 'snap', 'toggle', 'wrap', 'pullover'] as const;
export type ClosureId = (typeof CLOSURE_IDS)[number];

export const FIT_IDS = ['slim', 'regular', 'loose', 'oversized'] as const;
export type FitId = (typeof FIT_IDS)[number];

/** A name in the studio's two languages. */
export interface Bilingual {
  en: string;
  zh: string;
}

/** The garment attributes a prompt can ask for and a flat can show. */
export interface GarmentAttributes {
  garment: GarmentId | null;
  sleeve: SleeveId | null;
  neckline: NecklineId | null;
  length: LengthId | null;
  closure: ClosureId | null;
  /** true: has pockets; false: explicitly none ("no pockets", 无口袋); null: not said. */
  pockets: boolean | null;
  fit: FitId | null;
}

/** One lexicon term found in the prompt, for highlighting and for explaining the extraction. */
export interface TermMatch {
  /** The matched text as normalised (lower case, NFKC, hyphens as spaces). */
  text: string;
  start: number;
  end: number;
  negated: boolean;
  facets: string[];
}

export interface PromptExtraction extends GarmentAttributes {
  /** The garment's main fabric category, or null when the prompt names none. */
  fabric: FabricId | null;
  /** Other fabrics named as trims, linings or collars ("lace trim", "corduroy collar"). */
  trimFabrics: FabricId[];
  /** Colours in the order they appear, each once. */
  colours: ColourId[];
  matches: TermMatch[];
}
