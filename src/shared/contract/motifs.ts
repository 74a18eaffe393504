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

/** A region [left, top, right, bottom] in normalised coordinates (0..1 of the image's width and height). */
export const NormalisedBoxSchema = z
  .tuple([z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1)])
  .refine(([l, t, r, b]) => r > l && b > t, 'A region needs left < right and top < bottom.');
export type NormalisedBox = z.infer<typeof NormalisedBoxSchema>;

export const MotifSearchModeSchema = z.enum(['hybrid', 'caption', 'vector']);
export type MotifSearchMode = z.infer<typeof MotifSearchModeSchema>;

const SearchOptions = {
  /** hybrid (default): caption and vector rankings fused by reciprocal rank fusion. */
  mode: MotifSearchModeSchema.optional(),
  limit: z.number().int().min(1).max(500).optional(),
  /** Reciprocal rank fusion's k: score = sum over rankings of 1 / (k + rank); 60 by default. */
  rrfK: z.number().min(0).max(10_000).optional(),
};
export const MotifSearchRequest = z.union([
  z.object({ text: z.string().trim().min(1, 'Type something to search for.').max(500), ...SearchOptions }).strict(),
  z
    .object({
      /** A library file's sha256 (an image in the library: a motif, a generated render) or an absolute path. */
      image: z.string().min(1, 'Name the image: a library file sha256 or a path.').max(4096),
      /** Search with this region of the image only (e.g. a box drawn on the canvas). */
      box: NormalisedBoxSchema.optional(),
      ...SearchOptions,
    })
    .strict(),
]);
export type MotifSearchRequest = z.infer<typeof MotifSearchRequest>;

/** One crop of a motif against the query: for the heatmap overlay. */
export const MotifCropScoreSchema = z.object({
  /** 0-based index in the pack's crop scheme (2x2 grid row by row, then the centre). */
  index: z.number().int().nonnegative(),
  box: NormalisedBoxSchema,
  /** Cosine similarity of the crop's embedding and the query's. */
  score: z.number(),
});
export type MotifCropScore = z.infer<typeof MotifCropScoreSchema>;

/** Whether the motifs' embeddings fit the motif pack in use, and what to do when they do not. */
export const MotifVectorStatusSchema = z.object({
  /**
   * ready: every motif indexed with this pack; partial: some are not yet; missing: none is; stale:
   * embeddings of another version or dimension of the pack, or crop weights from another tau;
   * unavailable: no motif pack (or no inference) here.
   */
  state: z.enum(['ready', 'partial', 'missing', 'stale', 'unavailable']),
  pack: z.object({ id: z.string(), version: z.string(), dim: z.number().int().positive() }).nullable(),
  motifs: z.number().int().nonnegative(),
  indexed: z.number().int().nonnegative(),
  message: z.string(),
  /** The job that would make the vectors ready: call motifs.reindex with these parameters. */
  offer: z.object({ channel: z.literal('motifs.reindex'), packId: z.string().optional() }).nullable(),
});
export type MotifVectorStatus = z.infer<typeof MotifVectorStatusSchema>;

export const MotifSearchResultSchema = z.object({
  query: z.union([z.object({ text: z.string() }), z.object({ image: z.string(), box: NormalisedBoxSchema.nullable() })]),
  mode: MotifSearchModeSchema,
  /** The rankings that took part (hybrid with an image query has no caption side). */
  used: z.array(z.enum(['caption', 'vector'])),
  rrfK: z.number(),
  vectors: MotifVectorStatusSchema,
  hits: z.array(
    MotifSearchHitSchema.extend({
      /** 1-based rank of the motif in each ranking that found it (null: not in that ranking's list). */
      ranks: z.object({ caption: z.number().int().positive().nullable(), vector: z.number().int().positive().nullable() }),
      /** The crop that agrees best with the query, null when the motif has no embeddings of this pack. */
      crop: MotifCropScoreSchema.nullable(),
      /** Every crop's score, for the heatmap; empty when the motif has no embeddings of this pack. */
      crops: z.array(MotifCropScoreSchema),
    }),
  ),
});
export type MotifSearchResult = z.infer<typeof MotifSearchResultSchema>;

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
  search: channel(
    'Search motifs by text (Chinese or English) or by an image or a region of one: hybrid (captions and vectors fused by reciprocal rank), caption or vector.',
    MotifSearchRequest,
    MotifSearchResultSchema,
  ),
  vectorStatus: channel(
    'Whether the motifs are indexed with the motif pack in use (the default one unless named), and the job to run when not.',
    z.object({ packId: z.string().min(1).optional() }).strict(),
    MotifVectorStatusSchema,
  ),
  reindex: channel(
    'Bring the motif vectors up to the pack: crop weights again after a tau change, new embeddings after a pack change (a job).',
    z.object({ packId: z.string().min(1).optional(), full: z.boolean().optional() }).strict(),
    JobSchema,
  ),
  get: channel('One motif by id.', z.object({ id: MotifId }).strict(), MotifSchema),
  list: channel(
    'Motifs, newest first.',
    z.object({ limit: z.number().int().min(1).max(1000).optional(), offset: z.number().int().min(0).optional() }).strict(),
    z.array(MotifSchema),
  ),
};
