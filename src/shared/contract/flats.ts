import { z } from 'zod';
import { FlatDocumentSchema, ViewId } from '../flat/schema';
import { channel } from './channel';

const Count = z.object({ what: z.string(), count: z.number().int() });
export const FidelityReportSchema = z.object({
  imported: z.record(z.string(), z.number().int()),
  stitchLines: z.number().int(),
  approximated: z.array(Count),
  dropped: z.array(Count),
});

export const FlatTemplateSchema = z.object({ id: z.string(), name: z.string(), category: z.string(), doc: FlatDocumentSchema });

/**
 * Flat sketch files. Editing itself needs no channel: the renderer runs the commands of
 * src/shared/flat on the document directly; main reads files, rasterises and ships templates.
 */
export const flatChannels = {
  templates: channel('The garment templates shipped with the studio.', z.object({}).strict(), z.array(FlatTemplateSchema)),
  importSvg: channel(
    'Import a flat drawn in Inkscape or Illustrator from an SVG file.',
    z.object({ path: z.string().min(1).max(4096) }).strict(),
    z.object({ doc: FlatDocumentSchema, report: FidelityReportSchema }),
  ),
  exportPng: channel(
    'Rasterise one view of a flat to PNG at a resolution of its real size.',
    z.object({ doc: FlatDocumentSchema, viewId: ViewId.default('front'), dpi: z.number().min(10).max(1200).default(150) }).strict(),
    z.object({ pngBase64: z.string(), width: z.number().int(), height: z.number().int() }),
  ),
};
