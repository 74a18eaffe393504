import { z } from 'zod';
import { CLOSURE_IDS, COLOUR_IDS, FABRIC_IDS, FIT_IDS, GARMENT_IDS, LENGTH_IDS, NECKLINE_IDS, SLEEVE_IDS } from '../fabric/types';
import { channel } from './channel';
import { ProjectId } from './projects';

const PromptText = z.string().max(4000, 'A prompt has at most 4000 characters.');

export const TermMatchSchema = z.object({
  text: z.string(),
  start: z.number(),
  end: z.number(),
  negated: z.boolean(),
  facets: z.array(z.string()),
});

export const PromptExtractionSchema = z.object({
  fabric: z.enum(FABRIC_IDS).nullable(),
  trimFabrics: z.array(z.enum(FABRIC_IDS)),
  colours: z.array(z.enum(COLOUR_IDS)),
  garment: z.enum(GARMENT_IDS).nullable(),
  sleeve: z.enum(SLEEVE_IDS).nullable(),
  neckline: z.enum(NECKLINE_IDS).nullable(),
  length: z.enum(LENGTH_IDS).nullable(),
  closure: z.enum(CLOSURE_IDS).nullable(),
  pockets: z.boolean().nullable(),
  fit: z.enum(FIT_IDS).nullable(),
  matches: z.array(TermMatchSchema),
});

export const SwatchLinkSchema = z.object({
  swatchId: z.string(),
  fabric: z.enum(FABRIC_IDS),
  reason: z.enum(['only-of-category', 'nearest-colour', 'first-of-category']),
  deltaE: z.number().optional(),
});

/** The flat's attributes as the flat document stores them (free text read with the lexicon). */
export const FlatAttributesInputSchema = z
  .object({
    category: z.string().max(100).nullable().optional(),
    sleeveLength: z.string().max(100).nullable().optional(),
    neckline: z.string().max(100).nullable().optional(),
    length: z.string().max(100).nullable().optional(),
    closure: z.string().max(100).nullable().optional(),
    pockets: z.union([z.string().max(100), z.boolean()]).nullable().optional(),
    colour: z.string().max(100).nullable().optional(),
  })
  .passthrough();

const Bilingual = z.object({ en: z.string(), zh: z.string() });

export const ConflictSchema = z.object({
  field: z.enum(['garment', 'sleeve', 'neckline', 'length', 'closure', 'pockets', 'colour']),
  text: z.union([z.string(), z.boolean()]),
  flat: z.union([z.string(), z.boolean()]),
  message: Bilingual,
  imageBiased: z.literal('flat'),
  textBiased: z.literal('text'),
});

export const promptChannels = {
  extract: channel(
    "Read a prompt's fabric, colours and garment attributes; with a project, link the fabric to its swatch.",
    z.object({ text: PromptText, projectId: ProjectId.optional() }).strict(),
    z.object({ extraction: PromptExtractionSchema, swatch: SwatchLinkSchema.nullable() }),
  ),
  conflicts: channel(
    'What the prompt asks for against what the flat shows, in plain words in both languages.',
    z.object({ text: PromptText, flat: FlatAttributesInputSchema }).strict(),
    z.array(ConflictSchema),
  ),
};
