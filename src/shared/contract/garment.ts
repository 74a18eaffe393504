import { z } from 'zod';
import { channel } from './channel';
import { JobSchema } from './jobs';
import { ProjectId } from './projects';

export const GARMENT_SCHEDULERS = ['ddim', 'euler-ancestral', 'dpmpp-2m-karras', 'lcm'] as const;
export const GarmentScheduler = z.enum(GARMENT_SCHEDULERS);

/** alpha by hand (0..1, what the library stores) or 'auto': the pack's harmonized rule. */
export const GarmentAlpha = z.union([z.literal('auto'), z.number().min(0).max(1)]);

/** The line-art ControlNet's conditioning scale, as diffusers bounds it. */
export const GarmentControlScale = z.number().min(0, 'The line-art strength is at least 0.').max(2, 'The line-art strength is at most 2.');

/** How much of the schedule an image-to-image render runs (diffusers' strength): 1 is text-to-image. */
export const GarmentInitStrength = z.number().min(0, 'The strength is at least 0.').max(1, 'The strength is at most 1.');

/** Start from the flat's colorway render instead of pure noise; needs a pack with a VAE encoder. */
export const GarmentInit = z.object({ kind: z.literal('colorway'), strength: GarmentInitStrength }).strict();
export type GarmentInit = z.infer<typeof GarmentInit>;

/** How a render started, as recorded: the colorway, its strength and what painted it; null for pure noise. */
export const GarmentInitRecord = z
  .object({ kind: z.literal('colorway'), strength: z.number(), source: z.object({ from: z.string() }).passthrough() })
  .nullable();

/** Where the flat comes from: a file (.svg or flat .json) or the document itself. */
export const GarmentFlatSource = z.union([
  z.object({ path: z.string().min(1).max(4096) }).strict(),
  z.object({ document: z.unknown(), flatId: z.string().uuid().optional(), flatVersion: z.number().int().positive().optional() }).strict(),
]);

export const GarmentGenerateRequest = z
  .object({
    projectId: ProjectId,
    flat: GarmentFlatSource,
    prompt: z.string().trim().min(1, 'A garment needs a prompt.').max(2000),
    /** A fabric swatch photo (PNG, JPEG, WebP...). */
    swatchPath: z.string().min(1).max(4096).optional(),
    /** A swatch of the library instead: the engine reads its photo and the render records its id. */
    swatchId: z.string().min(1).max(100).optional(),
    /** The fabric word, when the prompt does not name one the pack knows. */
    fabric: z.string().trim().min(1).max(100).optional(),
    /** alpha of the image-biased variant; the text-biased one keeps the pack's default. */
    alpha: GarmentAlpha.default('auto'),
    steps: z.number().int().min(1).max(200).optional(),
    guidanceScale: z.number().min(0).max(30).optional(),
    scheduler: GarmentScheduler.optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
    /** A pack id; the default garment pack when left out. */
    packId: z.string().min(1).max(200).optional(),
    /** Line-art strength: the ControlNet's conditioning scale (0 off, 1 as trained); the pack's default when left out. Refused for a pack without a ControlNet. */
    controlScale: GarmentControlScale.optional(),
    /** Start from the colorway (the chosen swatch at true scale, else the prompt's fabric and colour) at this strength. */
    init: GarmentInit.optional(),
  })
  .strict()
  .refine((r) => !(r.swatchPath && r.swatchId), { message: 'Give a swatch photo or a library swatch, not both.', path: ['swatchId'] });
export type GarmentGenerateRequest = z.infer<typeof GarmentGenerateRequest>;

export const GarmentVariantResult = z.object({
  variant: z.enum(['image-biased', 'text-biased']),
  generationId: z.string(),
  fileSha256: z.string(),
  alpha: z.number(),
  alphaAuto: z.boolean(),
});

/** What a finished garment.generate job holds as its result. */
export const GarmentGenerateResult = z.object({
  packId: z.string(),
  packVersion: z.string(),
  /** The pack's name, shown with the images (null for jobs from before it was recorded). */
  packName: z.string().nullable().default(null),
  /** The text the pack's text encoder received (English composed from a Chinese prompt for an SD 1.5 pack); null for jobs from before it was recorded. */
  modelPrompt: z.string().nullable().default(null),
  provider: z.string(),
  seed: z.number().int(),
  steps: z.number().int(),
  scheduler: z.string(),
  fabric: z.string().nullable(),
  /** The line-art strength the render used; null for a pack without a ControlNet (and for jobs from before it was recorded). */
  controlScale: z.number().nullable().default(null),
  /** How the render started; null from noise (and for jobs from before it was recorded). */
  init: GarmentInitRecord.default(null),
  batched: z.boolean(),
  durationMs: z.number(),
  variants: z.array(GarmentVariantResult),
});
export type GarmentGenerateResult = z.infer<typeof GarmentGenerateResult>;

export const garmentChannels = {
  generate: channel(
    'Render a flat + prompt (+ swatch) as two garment images, image-biased and text-biased (a job; its result is a GarmentGenerateResult).',
    GarmentGenerateRequest,
    JobSchema,
  ),
};
