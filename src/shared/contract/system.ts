import { z } from 'zod';
import { channel } from './channel';

export const LibraryInfoSchema = z.object({
  path: z.string(),
  schemaVersion: z.number().int(),
  sizeBytes: z.number().int().nonnegative(),
  files: z.object({ count: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
  counts: z.record(z.string(), z.number().int().nonnegative()),
  integrity: z.string(),
});
export type LibraryInfo = z.infer<typeof LibraryInfoSchema>;

/**
 * What a main-side file dialog is opened for: a file to read (swatch photo, SVG flat, zipped model
 * pack), a folder to read (model pack, motif collection), a file to write (tech pack PDF) or a
 * folder to write into (PNG sheets).
 */
export const PathKindSchema = z.enum(['swatchPhoto', 'flatSvg', 'modelPackZip', 'modelPackFolder', 'modelCheckpoint', 'motifCollection', 'techPackPdf', 'techPackFolder']);
export type PathKind = z.infer<typeof PathKindSchema>;

export const systemChannels = {
  ping: channel('Liveness check; answers with the time main received it.', z.object({}).strict(), z.object({ at: z.number() })),
  version: channel(
    'App and runtime versions.',
    z.object({}).strict(),
    z.object({ app: z.string(), node: z.string(), electron: z.string().nullable(), platform: z.string() }),
  ),
  libraryInfo: channel('The library folder and its health.', z.object({}).strict(), LibraryInfoSchema),
  choosePath: channel(
    'Open the main side\'s own file dialog; the path chosen (null if cancelled) is then accepted from the renderer.',
    z.object({ kind: PathKindSchema }).strict(),
    z.object({ path: z.string().nullable() }),
  ),
};
