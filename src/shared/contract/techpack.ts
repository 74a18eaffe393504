import { z } from 'zod';
import { Paper, PreflightReportSchema, SheetLanguageSchema, TechPackDocumentSchema, TechPackOutlineSchema } from '../techpack';
import { channel } from './channel';
import { JobSchema } from './jobs';
import { ProjectId } from './projects';

export const TechPackRecordSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  document: TechPackDocumentSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});

const ExportFormat = z.enum(['pdf', 'png']);
export const TechPackExportRequestSchema = z
  .object({
    projectId: ProjectId,
    format: ExportFormat,
    paper: Paper.optional(),
    dpi: z.number().int().min(36).max(600).optional(),
    /** A file for a PDF, a folder for PNG sheets; omitted, nothing is written (the revision is still recorded). */
    out: z.string().min(1).optional(),
    /** The sheets' own labels: 'en+zh' (default), 'zh+en', 'zh' or 'en'; the recorded revision is the same whichever. */
    language: SheetLanguageSchema.optional(),
  })
  .strict();

export const ExportResultSchema = z.object({
  revision: z.number().int(),
  newRevision: z.boolean(),
  files: z.array(z.object({ path: z.string().nullable(), sha256: z.string(), bytes: z.number().int() })),
  preflight: PreflightReportSchema,
});

export const RevisionInfoSchema = z.object({
  revision: z.number().int(),
  createdAt: z.string(),
  note: z.string(),
  fileSha256: z.string().nullable(),
  imageHashes: z.array(z.string()),
  /** Each export written to disk that printed this revision: a PDF file, or a folder of PNG sheets. */
  exports: z.array(z.object({ format: ExportFormat, path: z.string(), files: z.number().int(), exportedAt: z.string() })),
});

export const techPackChannels = {
  get: channel('The project tech pack document (made empty on first use).', z.object({ projectId: ProjectId }).strict(), TechPackRecordSchema),
  save: channel(
    'Replace the tech pack document (validated; a refused document changes nothing).',
    z.object({ projectId: ProjectId, document: z.unknown() }).strict(),
    TechPackRecordSchema,
  ),
  preflight: channel(
    'Check the tech pack before export: errors refuse it, warnings do not; each issue names the section and item to fix. With `document`, checks that unsaved draft instead of the saved one.',
    z.object({ projectId: ProjectId, paper: Paper.optional(), document: z.unknown().optional() }).strict(),
    PreflightReportSchema,
  ),
  export: channel('Export as PDF or PNG sheets, recording a revision when anything changed.', TechPackExportRequestSchema, ExportResultSchema),
  exportJob: channel(
    'The same export as a job (for large PNG sets): progress and the result arrive as job events.',
    TechPackExportRequestSchema,
    JobSchema,
  ),
  revisions: channel('The recorded revisions, oldest first.', z.object({ projectId: ProjectId }).strict(), z.array(RevisionInfoSchema)),
  exportRevision: channel(
    'Export a recorded revision again from its snapshot, byte for byte.',
    TechPackExportRequestSchema.extend({ revision: z.number().int().min(1) }).strict(),
    ExportResultSchema,
  ),
  preview: channel(
    'One sheet of the next revision as a PNG (base64) for the live preview, its preflight and the outline the form shows. With `document`, of that unsaved draft as typed (nothing is saved); an invalid draft has no PNG or outline, only its problems.',
    z
      .object({
        projectId: ProjectId,
        sheet: z.number().int().min(0).default(0),
        dpi: z.number().int().min(36).max(200).default(72),
        document: z.unknown().optional(),
        language: SheetLanguageSchema.optional(),
      })
      .strict(),
    z.object({ pngBase64: z.string().nullable(), sheets: z.number().int(), preflight: PreflightReportSchema, outline: TechPackOutlineSchema.nullable() }),
  ),
};
