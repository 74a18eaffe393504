/** Fabric lexicon, prompt extraction, swatch linking and sketch/text conflicts: pure TS for main and renderer. */
export * from './types';
export * from './colour-space';
export {
  FABRICS,
  COLOURS,
  ATTRIBUTE_TERMS,
  FIBRE_TERMS,
  GARMENT_NAMES,
  SLEEVE_NAMES,
  NECKLINE_NAMES,
  LENGTH_NAMES,
  CLOSURE_NAMES,
  FIT_NAMES,
  fabricEntry,
  colourEntry,
  colourLab,
  COLOUR_LAB,
  fabricForCotton,
  type FabricEntry,
  type ColourEntry,
  type Facet,
  type AttributeTerm,
} from './lexicon';
export { normalisePrompt, normaliseWithSpans, sourceSpan } from './normalise';
export { extractPrompt } from './extract';
export { pickSwatch, nearestColour, type SwatchCandidate, type SwatchLink } from './link';
export { detectConflicts, normaliseFlatAttributes, type Conflict, type ConflictField, type FlatAttributesInput } from './conflicts';
export { evaluate, formatReport, parseCorpus, EVAL_FIELDS, type CorpusCase, type EvalReport, type FieldScore } from './evaluate';
