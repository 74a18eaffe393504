import { z } from 'zod';
import { ColorwayColourSchema, CoverSchema, LengthUnitSchema, Paper } from './schema';

/**
 * A resolved tech pack: the document with everything the sheets print filled in from the project
 * (flats, swatches, generations, motifs) and the points of measure graded. It is the snapshot stored
 * with every revision, and the sheets are a pure function of it plus the font and the stored image
 * bytes (named by sha256), so revision 3 can be exported again byte for byte after revision 5 exists.
 */
export const RESOLVED_FORMAT = 1;

const Sha = z.string().regex(/^[0-9a-f]{64}$/);

export const RenderSettingsSchema = z.object({
  prompt: z.string(),
  variant: z.string(),
  alpha: z.number(),
  seed: z.number(),
  steps: z.number(),
  scheduler: z.string(),
  packId: z.string(),
  packVersion: z.string(),
  provider: z.string(),
  /** The library swatch whose photo conditioned the render; absent without one (and in revisions from before renders recorded it). */
  swatch: z.object({ id: z.string(), name: z.string() }).optional(),
});
export const ResolvedRenderSchema = z.object({
  generationId: z.string(),
  sha256: Sha,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  settings: RenderSettingsSchema,
});
export type ResolvedRender = z.infer<typeof ResolvedRenderSchema>;

export const ResolvedColorwaySchema = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  colours: z.array(ColorwayColourSchema),
  renders: z.array(ResolvedRenderSchema),
});
export type ResolvedColorway = z.infer<typeof ResolvedColorwaySchema>;

export const BOM_SOURCES = ['fabric', 'trim', 'manual'] as const;
export const ResolvedBomRowSchema = z.object({
  id: z.string(),
  source: z.enum(BOM_SOURCES),
  material: z.string(),
  fibreContent: z.string(),
  construction: z.string(),
  weight: z.string(),
  colourName: z.string(),
  colourHex: z.string().nullable(),
  supplier: z.string(),
  reference: z.string(),
  placement: z.string(),
  quantity: z.string(),
});
export type ResolvedBomRow = z.infer<typeof ResolvedBomRowSchema>;

export const ResolvedPomRowSchema = z.object({
  id: z.string(),
  source: z.enum(['flat', 'manual']),
  code: z.string(),
  description: z.string(),
  /** The base value and tolerance as entered (exact decimals) and their unit. */
  value: z.string().nullable(),
  unit: LengthUnitSchema.nullable(),
  tolerance: z.string().nullable(),
  toleranceUnit: LengthUnitSchema.nullable(),
  /** Printed text, in the table's unit, one per size; null when the row cannot be graded. */
  printedTolerance: z.string().nullable(),
  printedValues: z.array(z.string()).nullable(),
});
export type ResolvedPomRow = z.infer<typeof ResolvedPomRowSchema>;

export const ResolvedFlatSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  name: z.string(),
  /** The flat document (validated with FlatDocumentSchema when drawn). */
  document: z.unknown(),
});

export const ResolvedMotifSchema = z.object({
  id: z.string(),
  captionZh: z.string().nullable(),
  captionEn: z.string().nullable(),
  /** The caption the pack prints instead of the library's (TechPackDocument.motifCaptions); absent when none is given. */
  caption: z.string().optional(),
  source: z.string().nullable(),
  licence: z.string().nullable(),
  placement: z.string(),
  imageSha256: Sha.nullable(),
});
export type ResolvedMotif = z.infer<typeof ResolvedMotifSchema>;

export const RevisionLogEntrySchema = z.object({ revision: z.number().int().positive(), date: z.string(), note: z.string() });
export type RevisionLogEntry = z.infer<typeof RevisionLogEntrySchema>;

export const ResolvedTechPackSchema = z.object({
  format: z.literal(RESOLVED_FORMAT),
  techpackId: z.string(),
  projectId: z.string(),
  projectName: z.string(),
  revision: z.number().int().positive(),
  /** ISO date-time of the revision: the PDF's CreationDate/ModDate and the printed date. */
  revisedAt: z.string(),
  cover: CoverSchema,
  paper: Paper,
  flats: z.array(ResolvedFlatSchema),
  colorways: z.array(ResolvedColorwaySchema),
  bom: z.array(ResolvedBomRowSchema),
  pom: z.object({ unit: LengthUnitSchema, sizes: z.array(z.string()), baseSize: z.string(), rows: z.array(ResolvedPomRowSchema) }),
  constructionNotes: z.array(z.object({ id: z.string(), title: z.string(), text: z.string() })),
  motifs: z.array(ResolvedMotifSchema),
  revisionLog: z.array(RevisionLogEntrySchema),
});
export type ResolvedTechPack = z.infer<typeof ResolvedTechPackSchema>;
