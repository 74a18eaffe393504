import { z } from 'zod';
import { FlatDocumentSchema, ViewId } from '../flat/schema';
import { channel } from './channel';

/** A solid colour in a palette: plain #rrggbb, so nothing else reaches the SVG. */
export const SolidColourSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'A solid colour is written as #rrggbb.');
/** What a panel is cut from in one colorway: a swatch of the library (its id) or a solid colour. */
export const PaletteFillSchema = z
  .string()
  .refine((v) => SolidColourSchema.safeParse(v).success || z.string().uuid().safeParse(v).success, 'A palette entry is a swatch id or #rrggbb.');
/**
 * One colorway: panel (shape id) or 'all' -> fill. A panel's own entry wins over 'all', which wins
 * over the fabric the flat assigns to the panel; a panel named nowhere keeps the flat's own fill.
 */
export const PaletteSchema = z.record(z.string().min(1).max(200), PaletteFillSchema);
export type Palette = z.infer<typeof PaletteSchema>;

const ColorwayOptionsSchema = {
  doc: FlatDocumentSchema,
  viewId: ViewId.default('front'),
  /** Long side of the PNG in pixels. */
  size: z.number().int().min(16).max(8192).default(1024),
  background: SolidColourSchema.nullable().default('#ffffff'),
  shading: z.boolean().default(true),
  /** 'file': stored in the library's file store, answered by sha256; 'bytes': the PNG itself, base64. */
  as: z.enum(['file', 'bytes']).default('file'),
};

export const ColorwayResultSchema = z.object({
  sha256: z.string().nullable(),
  pngBase64: z.string().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  pxPerCm: z.number(),
});
export type ColorwayResult = z.infer<typeof ColorwayResultSchema>;

export const renderChannels = {
  colorway: channel(
    'Render one colorway of a flat: panels filled with swatch tiles at true scale, seams and stitches over them, shaded; PNG.',
    z.object({ ...ColorwayOptionsSchema, palette: PaletteSchema.default({}) }).strict(),
    ColorwayResultSchema,
  ),
  colorways: channel(
    'Render a batch of colorways of one flat, one per palette, in one call.',
    z.object({ ...ColorwayOptionsSchema, palettes: z.array(PaletteSchema).min(1).max(64) }).strict(),
    z.array(ColorwayResultSchema),
  ),
};
