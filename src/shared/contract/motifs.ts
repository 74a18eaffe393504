import { z } from 'zod';
import { channel } from './channel';
import { JobSchema } from './jobs';

export const MotifId = z.string().uuid();

export const MotifSchema = z.object({
  id: MotifId,
  fileSha256: z.string(),
  thumbSha256: z.string().nullable(),
  captionZh: z.string().nullable(),
  captionEn: z.string().nullable(),
  /** Who made or published the image, as the collection credits it. */
  source: z.string().nullable(),
  licence: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type Motif = z.infer<typeof MotifSchema>;

export const MotifSearchHitSchema = z.object({
  motif: MotifSchema,
  /** Higher is better; comparable only within one answer. */
  score: z.number(),
});

export const MotifCaptionSearchSchema = z.object({
  query: z.string(),
  /** The concepts the query was read as, each widened through the bilingual lexicon. */
  concepts: z.array(z.object({ text: z.string(), alternatives: z.array(z.string()) })),
  /** 'all' when every concept matched; 'any' when no motif had them all and the search widened. */
  mode: z.enum(['all', 'any']),
  hits: z.array(MotifSearchHitSchema),
});
export type MotifCaptionSearch = z.infer<typeof MotifCaptionSearchSchema>;

export const MotifImportRequest = z
  .object({
    folder: z.string().min(1, 'Give the folder of the collection.'),
    captions: z.string().min(1).optional(),
    tsv: z.string().min(1).optional(),
    images: z.string().min(1).optional(),
    source: z.string().trim().min(1).max(500).optional(),
    licence: z.string().trim().min(1).max(500).optional(),
  })
  .strict();
export type MotifImportRequest = z.infer<typeof MotifImportRequest>;

export const MotifModelSearchSchema = z.object({
  query: z.string(),
  /** The motif pack that encoded the query and the images. */
  pack: z.object({ id: z.string(), version: z.string() }),
  /** Motifs indexed with this pack; the others cannot be found by model until indexed. */
  indexed: z.number().int().nonnegative(),
  hits: z.array(
    MotifSearchHitSchema.extend({
      /** The crop that agrees best with the query: its box [left, top, right, bottom) in image pixels. */
      crop: z.object({ index: z.number().int().nonnegative(), box: z.array(z.number()).nullable(), similarity: z.number() }).nullable(),
    }),
  ),
});
export type MotifModelSearch = z.infer<typeof MotifModelSearchSchema>;

export const motifChannels = {
  import: channel('Import a folder of captioned images as motifs (a job; running it again resumes).', MotifImportRequest, JobSchema),
  searchCaptions: channel(
    'Search motif captions in Chinese or English, across languages through the motif lexicon.',
    z.object({ query: z.string().trim().min(1, 'Type something to search for.').max(500), limit: z.number().int().min(1).max(500).optional() }).strict(),
    MotifCaptionSearchSchema,
  ),
  index: channel(
    'Encode every motif not yet indexed with a motif pack (the default one unless named): a job.',
    z.object({ packId: z.string().min(1).optional() }).strict(),
    JobSchema,
  ),
  searchByModel: channel(
    'Search motifs by text with the default motif pack (LACLIP: whole image and crops).',
    z.object({ query: z.string().trim().min(1, 'Type something to search for.').max(500), limit: z.number().int().min(1).max(500).optional() }).strict(),
    MotifModelSearchSchema,
  ),
  get: channel('One motif by id.', z.object({ id: MotifId }).strict(), MotifSchema),
  list: channel(
    'Motifs, newest first.',
    z.object({ limit: z.number().int().min(1).max(1000).optional(), offset: z.number().int().min(0).optional() }).strict(),
    z.array(MotifSchema),
  ),
};
