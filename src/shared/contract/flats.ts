import { z } from 'zod';
import { FlatHistorySchema } from '../flat/commands/history';
import { KNOWN_MEASUREMENTS } from '../flat/scale';
import { FlatDocumentSchema, GARMENT_CATEGORIES, ViewId } from '../flat/schema';
import { channel } from './channel';

const Count = z.object({ what: z.string(), count: z.number().int() });
export const FidelityReportSchema = z.object({
  imported: z.record(z.string(), z.number().int()),
  stitchLines: z.number().int(),
  approximated: z.array(Count),
  dropped: z.array(Count),
});

const ReferenceCm = z.number().positive().nullable();
/** How an import told the views apart (see shared/flat/svg/views.ts). */
export const ViewsFoundSchema = z.discriminatedUnion('by', [
  z.object({ by: z.literal('names') }),
  z.object({ by: z.literal('gap'), axis: z.enum(['x', 'y']) }),
  z.object({ by: z.literal('halves') }),
  z.object({ by: z.literal('one') }),
]);

export const FlatTemplateSchema = z.object({
  id: z.string(),
  name: z.string(),
  category: z.string(),
  doc: FlatDocumentSchema,
  /** The kind's usual known measurements in cm, measured on the template: what import offers first. */
  reference: z.object({ bodyLength: ReferenceCm, chestWidth: ReferenceCm }),
});

const FlatId = z.string().min(1).max(200);

/** A flat as the library lists it; `headVersion` is the version the editor opens. */
export const FlatSummarySchema = z.object({
  id: FlatId,
  projectId: z.string(),
  name: z.string(),
  headVersion: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type FlatSummary = z.infer<typeof FlatSummarySchema>;

/** The open flat: its document at the head version and the undo history that reached it. */
export const StoredFlatSchema = z.object({
  flat: FlatSummarySchema,
  doc: FlatDocumentSchema,
  history: FlatHistorySchema.nullable(),
});
export type StoredFlat = z.infer<typeof StoredFlatSchema>;

export const FlatVersionSchema = z.object({
  version: z.number().int().positive(),
  label: z.string().nullable(),
  createdAt: z.string(),
});
export type FlatVersion = z.infer<typeof FlatVersionSchema>;

/**
 * Flat sketch files. Editing itself needs no channel: the renderer runs the commands of
 * src/shared/flat on the document directly; main reads files, rasterises and ships templates.
 */
export const flatChannels = {
  templates: channel('The garment templates shipped with the studio.', z.object({}).strict(), z.array(FlatTemplateSchema)),
  importSvg: channel(
    'Import a flat drawn in Inkscape or Illustrator from an SVG file: front and back told apart, at the scale a known length gives.',
    z
      .object({
        path: z.string().min(1).max(4096),
        /** 'auto' finds front and back by names or by the gap between them; 'split' halves the page; 'one' (the default) keeps one view. */
        views: z.enum(['auto', 'one', 'split']).default('one'),
        category: z.enum(GARMENT_CATEGORIES).optional(),
        /** The length the technician knows; without cm, the garment kind's template's. Absent: the page's scale. */
        known: z.object({ measurement: z.enum(KNOWN_MEASUREMENTS), cm: z.number().finite().positive().optional() }).strict().optional(),
      })
      .strict(),
    z.object({ doc: FlatDocumentSchema, report: FidelityReportSchema, views: ViewsFoundSchema }),
  ),
  exportPng: channel(
    'Rasterise one view of a flat to PNG at a resolution of its real size, or reduced to a print scale (1:printScale) where that would be too many pixels.',
    z.object({ doc: FlatDocumentSchema, viewId: ViewId.default('front'), dpi: z.number().min(10).max(1200).default(150) }).strict(),
    z.object({ pngBase64: z.string(), width: z.number().int(), height: z.number().int(), printScale: z.number().int().positive() }),
  ),
  list: channel('The flats of a project, newest first.', z.object({ projectId: z.string().min(1) }).strict(), z.array(FlatSummarySchema)),
  get: channel('A flat at its head version, with its undo history.', z.object({ id: FlatId }).strict(), StoredFlatSchema),
  create: channel(
    'A new flat in a project from a document (a template, an import or a blank page); saved as version 1.',
    z.object({ projectId: z.string().min(1), doc: FlatDocumentSchema }).strict(),
    StoredFlatSchema,
  ),
  save: channel(
    'Autosave: the edited document and its undo history become a new head version.',
    z.object({ id: FlatId, doc: FlatDocumentSchema, history: FlatHistorySchema.nullable() }).strict(),
    FlatSummarySchema,
  ),
  versions: channel('Every kept version of a flat, newest first.', z.object({ id: FlatId }).strict(), z.array(FlatVersionSchema)),
  nameVersion: channel(
    'Names a version so it is kept for good (an empty name makes it an autosave again).',
    z.object({ id: FlatId, version: z.number().int().positive(), label: z.string().max(200) }).strict(),
    FlatVersionSchema,
  ),
  restore: channel(
    'Makes an older version the head again, as a new version; the undo history starts afresh.',
    z.object({ id: FlatId, version: z.number().int().positive() }).strict(),
    StoredFlatSchema,
  ),
  delete: channel('Deletes a flat and all its versions.', z.object({ id: FlatId }).strict(), z.object({ deleted: z.literal(true) })),
};
