import { z } from 'zod';
import { channel } from './channel';
import { GarmentAlpha, GarmentControlScale, GarmentInit, GarmentScheduler } from './garment';
import { JobSchema } from './jobs';
import { ProjectId } from './projects';

export const GenerationId = z.string().min(1).max(100);

/** One rendered image of the history, with every setting that made it. */
export const GenerationRecordSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  jobId: z.string().nullable(),
  flatId: z.string().nullable(),
  flatVersion: z.number().int().nullable(),
  prompt: z.string(),
  variant: z.enum(['image-biased', 'text-biased']),
  alpha: z.number(),
  alphaAuto: z.boolean(),
  seed: z.number().int(),
  steps: z.number().int(),
  guidanceScale: z.number().nullable(),
  scheduler: z.string(),
  /** The line-art ControlNet's strength; null for a pack without one (or a render from before it was recorded). */
  controlScale: z.number().nullable(),
  packId: z.string(),
  packVersion: z.string(),
  /** The pack's name when the render was made; null for renders from before it was recorded. */
  packName: z.string().nullable(),
  /** The text the pack's text encoder received; null for renders from before it was recorded. */
  modelPrompt: z.string().nullable(),
  provider: z.string(),
  fileSha256: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  durationMs: z.number().int().nullable(),
  favourite: z.boolean(),
  createdAt: z.string(),
  /** The fabric of the render: the word the engine conditioned on, else the fabric the prompt names (canonical id). */
  fabric: z.string().nullable(),
  /** The library swatch whose photo conditioned the render, if it is still in the library. */
  swatch: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** Tech-pack colorways that show this render. */
  colorways: z.array(z.object({ id: z.string(), name: z.string() })),
  /** How the render started: from the flat's colorway at a strength, or null from pure noise. */
  init: z.object({ kind: z.literal('colorway'), strength: z.number() }).nullable().optional(),
});
export type GenerationRecord = z.infer<typeof GenerationRecordSchema>;

/** The flat to render: a stored flat (its head version) or a document in hand (a template). */
export const GenerationFlatSchema = z.union([
  z.object({ flatId: z.string().min(1).max(200) }).strict(),
  z.object({ document: z.unknown() }).strict(),
]);

export const GenerationRequestSchema = z
  .object({
    projectId: ProjectId,
    flat: GenerationFlatSchema,
    prompt: z.string().trim().min(1, 'A garment needs a prompt.').max(2000),
    /** A swatch of the library; its photo conditions the render. */
    swatchId: z.string().min(1).max(100).optional(),
    fabric: z.string().trim().min(1).max(100).optional(),
    alpha: GarmentAlpha.default('auto'),
    seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
    steps: z.number().int().min(1).max(200).optional(),
    scheduler: GarmentScheduler.optional(),
    packId: z.string().min(1).max(200).optional(),
    /** Line-art strength (0..2) for a pack with a ControlNet; the pack's default when left out. */
    controlScale: GarmentControlScale.optional(),
    /** Start from the flat's colorway at a strength (0..1) instead of pure noise; a pack with a VAE encoder only. */
    init: GarmentInit.optional(),
  })
  .strict();
export type GenerationRequest = z.input<typeof GenerationRequestSchema>;

export const GenerationQuerySchema = z
  .object({
    projectId: ProjectId,
    /** Prompt text in either language; a fabric word also matches renders of that fabric. */
    text: z.string().max(200).optional(),
    fabric: z.string().max(100).optional(),
    packId: z.string().max(200).optional(),
    favouritesOnly: z.boolean().optional(),
    limit: z.number().int().min(1).max(500).default(100),
    offset: z.number().int().min(0).default(0),
  })
  .strict();
export type GenerationQuery = z.input<typeof GenerationQuerySchema>;

export const GenerationListSchema = z.object({
  items: z.array(GenerationRecordSchema),
  total: z.number().int(),
  /** What the filters can offer, over the whole project. */
  fabrics: z.array(z.string()),
  packs: z.array(z.object({ id: z.string(), version: z.string() })),
});
export type GenerationList = z.infer<typeof GenerationListSchema>;

export const ColorwayChoiceSchema = z.object({ colorwayId: z.string(), colorwayName: z.string(), renderIds: z.array(z.string()) });

export const generationChannels = {
  generate: channel(
    'Render the open flat with the prompt and a library swatch (a garment.generate job; swatch and flat are resolved from the library).',
    GenerationRequestSchema,
    JobSchema,
  ),
  list: channel('The project\'s renders, newest first, searched and filtered.', GenerationQuerySchema, GenerationListSchema),
  get: channel('One render with all its settings.', z.object({ id: GenerationId }).strict(), GenerationRecordSchema),
  favourite: channel(
    'Mark or unmark a render as a favourite.',
    z.object({ id: GenerationId, favourite: z.boolean() }).strict(),
    GenerationRecordSchema,
  ),
  delete: channel(
    'Delete a render from the history (refused while a colorway shows it).',
    z.object({ id: GenerationId }).strict(),
    z.object({ deleted: z.literal(true) }),
  ),
  original: channel(
    'The lossless original PNG of a render (base64) and a file name for saving it.',
    z.object({ id: GenerationId }).strict(),
    z.object({ pngBase64: z.string(), fileName: z.string() }),
  ),
  markForColorway: channel(
    'Choose a render for a tech-pack colorway (an existing one by id, or a new one by name).',
    z
      .object({
        id: GenerationId,
        colorwayId: z.string().min(1).max(100).optional(),
        colorwayName: z.string().trim().min(1).max(120).optional(),
      })
      .strict(),
    ColorwayChoiceSchema,
  ),
};
