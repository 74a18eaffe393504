import { z } from 'zod';
import { COLOUR_IDS, FABRIC_IDS } from '../fabric/types';
import { channel } from './channel';
import { ProjectId } from './projects';

export const SwatchId = z.string().uuid();

const Hex = z
  .string()
  .regex(/^#?[0-9a-fA-F]{6}$/, 'A colour is written as #rrggbb.')
  .transform((h) => `#${h.replace('#', '').toUpperCase()}`);

export const LabSchema = z.object({ L: z.number().finite(), a: z.number().finite(), b: z.number().finite() });

export const FabricCategory = z.enum(FABRIC_IDS);

/** One fibre of the content label, e.g. cotton 98 %. */
export const FibreSchema = z.object({
  fibre: z.string().trim().min(1, 'Name the fibre.').max(60),
  percent: z.number().finite().gt(0, 'A fibre share is above 0 %.').max(100, 'A fibre share is at most 100 %.'),
});

/** Percentages must add up to 100 (to 0.01, so 33.33 + 33.33 + 33.34 passes). */
export const FibreContentSchema = z
  .array(FibreSchema)
  .max(10)
  .refine((fibres) => fibres.length === 0 || Math.abs(fibres.reduce((n, f) => n + f.percent, 0) - 100) < 0.01, {
    message: 'Fibre percentages must add up to 100 %.',
  })
  .refine((fibres) => new Set(fibres.map((f) => f.fibre.toLowerCase())).size === fibres.length, {
    message: 'Each fibre is listed once.',
  });

export const WEAVES = ['plain', 'twill', 'satin', 'dobby', 'jacquard', 'pile', 'leno', 'other'] as const;
export const KNITS = ['single-jersey', 'rib', 'interlock', 'pique', 'french-terry', 'fleece', 'cable', 'warp-knit', 'other'] as const;

export const ConstructionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('woven'), weave: z.enum(WEAVES) }),
  z.object({ kind: z.literal('knit'), structure: z.enum(KNITS) }),
  z.object({ kind: z.literal('non-woven'), note: z.string().max(200).optional() }),
  z.object({ kind: z.literal('leather'), note: z.string().max(200).optional() }),
]);

export const SwatchColourSchema = z.object({
  name: z.string().trim().max(80),
  hex: Hex,
  /** Computed from hex when the request leaves it out. */
  lab: LabSchema.optional(),
});

/** What a BOM needs of a fabric; every field may be left empty until known. */
export const SwatchBomSchema = z.object({
  fibreContent: FibreContentSchema.default([]),
  construction: ConstructionSchema.nullable().default(null),
  weightGsm: z.number().finite().positive('Weight is a positive number of g/m².').max(2000).nullable().default(null),
  finish: z.string().trim().max(200).nullable().default(null),
  colour: SwatchColourSchema.nullable().default(null),
  supplier: z.string().trim().max(200).nullable().default(null),
  reference: z.string().trim().max(200).nullable().default(null),
});
export type SwatchBom = z.output<typeof SwatchBomSchema>;
export type SwatchBomInput = z.input<typeof SwatchBomSchema>;

export const CropSchema = z.object({
  left: z.number().int().min(0),
  top: z.number().int().min(0),
  width: z.number().int().min(8, 'A crop is at least 8 px wide.'),
  height: z.number().int().min(8, 'A crop is at least 8 px high.'),
});
export type Crop = z.infer<typeof CropSchema>;

export const TILE_METHODS = ['offset-blend', 'mirror', 'none'] as const;

/**
 * The real size of a swatch's crop, each way, in centimetres: from a fine shirting's weave (a
 * millimetre) to a ten-metre panel print. No fabric repeats outside it, and a size outside it would
 * make every render of the swatch meaningless or enormous.
 */
export const SWATCH_CM = { min: 0.1, max: 1000 } as const;
const swatchCm = (side: 'wide' | 'high') => {
  const message = `A swatch is ${SWATCH_CM.min} to ${SWATCH_CM.max} cm ${side}: no fabric repeats finer or coarser.`;
  return z.number().finite().min(SWATCH_CM.min, message).max(SWATCH_CM.max, message).nullable().default(null);
};

/** How the photo became a tile: straightening angle, crop in the straightened photo, real size. */
export const SwatchGeometrySchema = z.object({
  rotateDeg: z.number().finite().min(-45, 'Straighten by at most 45°.').max(45, 'Straighten by at most 45°.').default(0),
  crop: CropSchema.nullable().default(null),
  widthCm: swatchCm('wide'),
  heightCm: swatchCm('high'),
  tileMethod: z.enum(TILE_METHODS).default('offset-blend'),
});
export type SwatchGeometry = z.output<typeof SwatchGeometrySchema>;
export type SwatchGeometryInput = z.input<typeof SwatchGeometrySchema>;

export const DominantColourSchema = z.object({ hex: z.string(), lab: LabSchema, share: z.number(), colour: z.enum(COLOUR_IDS) });
export type DominantColour = z.infer<typeof DominantColourSchema>;

export const SwatchSchema = z.object({
  id: SwatchId,
  name: z.string(),
  category: FabricCategory.nullable(),
  imageSha256: z.string(),
  tileSha256: z.string(),
  previewSha256: z.string(),
  /** Size of the original photo and of the tile, in pixels. */
  image: z.object({ width: z.number(), height: z.number(), format: z.string() }),
  tile: z.object({ width: z.number(), height: z.number() }),
  geometry: SwatchGeometrySchema,
  bom: SwatchBomSchema,
  dominantColours: z.array(DominantColourSchema),
  projectIds: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Swatch = z.infer<typeof SwatchSchema>;

const SwatchName = z.string().trim().min(1, 'A swatch needs a name.').max(200, 'A swatch name has at most 200 characters.');

export const SwatchQuerySchema = z
  .object({
    /** Free text in either language: a fabric or colour word narrows by it, anything else matches names. */
    query: z.string().max(200).optional(),
    category: FabricCategory.optional(),
    /** A colour id ('navy') or #rrggbb: swatches whose colour is near it, nearest first. */
    colour: z.string().max(40).optional(),
    supplier: z.string().max(200).optional(),
    projectId: ProjectId.optional(),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict();
export type SwatchQuery = z.input<typeof SwatchQuerySchema>;

/**
 * Longest base64 text a dropped or picked photo may be sent as: the 80 MB photo limit, as base64 (4/3),
 * plus padding. A larger frame is refused by the schema before any of it is decoded; the exact byte
 * limit is checked by the decoder on the decoded bytes, with the same message as for a path.
 */
export const MAX_SWATCH_FILE_BASE64 = Math.ceil((80 * 1024 * 1024) / 3) * 4 + 4;

/** A photo sent as its bytes (dropped on the form or picked in the file dialog). */
export const SwatchFileSchema = z
  .object({
    name: z.string().trim().min(1, 'The photo file needs a name.').max(255, 'A photo file name has at most 255 characters.'),
    bytesBase64: z
      .string()
      .min(1, 'The photo file is empty.')
      .max(MAX_SWATCH_FILE_BASE64, 'The photo file is larger than the swatch library takes (80 MB).')
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The photo bytes must be base64.'),
  })
  .strict();

const SwatchImportFields = {
  name: SwatchName.optional(),
  category: FabricCategory.nullable().optional(),
  geometry: SwatchGeometrySchema.optional(),
  bom: SwatchBomSchema.optional(),
  projectId: ProjectId.optional(),
};

const EXACTLY_ONE_SOURCE = 'Give the swatch photo either as a path or as a file, not both and not neither.';

/**
 * The union's own message says which of its two shapes was meant and what is wrong with it: "both or
 * neither" when the request has both or neither source, else the issues of the shape it chose.
 */
function importIssueMessage(issue: { code?: string; input?: unknown; errors?: unknown }): string | undefined {
  if (issue.code !== 'invalid_union') return undefined;
  const input = issue.input;
  if (typeof input !== 'object' || input === null) return 'A swatch import request is an object.';
  const hasPath = 'path' in input;
  const hasFile = 'file' in input;
  if (hasPath === hasFile) return EXACTLY_ONE_SOURCE;
  const branches = Array.isArray(issue.errors) ? (issue.errors as { path: PropertyKey[]; message: string }[][]) : [];
  const chosen = branches[hasPath ? 0 : 1] ?? [];
  return chosen.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ') || undefined;
}

/**
 * A photo on this machine's disk (`path`) or its bytes (`file`, dropped or picked): exactly one of the
 * two. A union of two strict shapes, so the JSON Schema of the channel says so too.
 */
export const SwatchImportSchema = z.union(
  [
    z.object({ path: z.string().min(1), ...SwatchImportFields }).strict(),
    z.object({ file: SwatchFileSchema, ...SwatchImportFields }).strict(),
  ],
  { error: importIssueMessage },
);
export type SwatchImport = z.input<typeof SwatchImportSchema>;

export const SwatchUpdateSchema = z
  .object({
    id: SwatchId,
    name: SwatchName.optional(),
    category: FabricCategory.nullable().optional(),
    bom: SwatchBomSchema.optional(),
  })
  .strict();

export const FabricCategoryInfoSchema = z.object({ id: FabricCategory, en: z.string(), zh: z.string(), note: z.string() });

export const swatchChannels = {
  list: channel('Search the swatch library (name, category, colour, supplier, project).', SwatchQuerySchema, z.array(SwatchSchema)),
  get: channel('One swatch by id.', z.object({ id: SwatchId }).strict(), SwatchSchema),
  import: channel(
    'Import a swatch photo (JPEG, PNG, WebP, TIFF): straighten, crop, tile, extract colours, store.',
    SwatchImportSchema,
    SwatchSchema,
  ),
  update: channel('Rename, recategorise or edit the BOM attributes of a swatch.', SwatchUpdateSchema, SwatchSchema),
  reprocess: channel(
    'Straighten, crop, size and tile the stored photo again.',
    z.object({ id: SwatchId, geometry: SwatchGeometrySchema }).strict(),
    SwatchSchema,
  ),
  delete: channel('Delete a swatch (also from every project using it).', z.object({ id: SwatchId }).strict(), z.object({ deleted: z.literal(true) })),
  addToProject: channel(
    'Use a swatch in a project.',
    z.object({ id: SwatchId, projectId: ProjectId }).strict(),
    SwatchSchema,
  ),
  removeFromProject: channel(
    'Stop using a swatch in a project (the swatch stays in the library).',
    z.object({ id: SwatchId, projectId: ProjectId }).strict(),
    SwatchSchema,
  ),
  categories: channel('The fabric categories of the lexicon, in both languages.', z.object({}).strict(), z.array(FabricCategoryInfoSchema)),
};
