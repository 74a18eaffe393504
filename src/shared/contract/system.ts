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

export const systemChannels = {
  ping: channel('Liveness check; answers with the time main received it.', z.object({}).strict(), z.object({ at: z.number() })),
  version: channel(
    'App and runtime versions.',
    z.object({}).strict(),
    z.object({ app: z.string(), node: z.string(), electron: z.string().nullable(), platform: z.string() }),
  ),
  libraryInfo: channel('The library folder and its health.', z.object({}).strict(), LibraryInfoSchema),
};
