import { z } from 'zod';

/**
 * The part of a model pack's manifest.json that every pack kind shares and that installing,
 * downloading and verifying rely on. The full per-kind contract (ONNX I/O signatures,
 * preprocessing, scheduler, defaults) extends this in ./manifest.ts; see tools/models/PACKS.md.
 */
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lowercase hex digits');

/** A path inside the pack folder: relative, forward slashes, no `..`, no absolute or drive paths. */
export const PackRelativePath = z
  .string()
  .min(1)
  .max(255)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.includes('\\'), 'must be a relative path with forward slashes')
  .refine((p) => p.split('/').every((seg) => seg !== '..' && seg !== '.' && seg !== ''), 'must not contain "..", "." or empty segments');

export const PackFileSchema = z.object({
  path: PackRelativePath,
  sha256: Sha256,
  size: z.number().int().nonnegative(),
});
export type PackFile = z.infer<typeof PackFileSchema>;

export const PACK_KINDS = ['garment', 'motif'] as const;
export const PackKind = z.enum(PACK_KINDS);

export const ManifestBaseSchema = z.object({
  /** Stable id, lowercase with dashes: `jinxiu-garment-tiny`. */
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'an id is 2-64 characters of a-z, 0-9, ".", "_" or "-"'),
  version: z.string().min(1).max(40),
  kind: PackKind,
  name: z.string().min(1).max(200),
  licence: z.string().min(1),
  files: z.array(PackFileSchema).min(1),
});
export type ManifestBase = z.infer<typeof ManifestBaseSchema>;
