import { z } from 'zod';
import { isFlatColour } from './colour';

/**
 * The flat sketch document: the one truth that the editor, colorways, generation and the tech pack
 * read. Geometry is in document units (millimetres unless `units` declares otherwise), so fabric
 * can be rendered at true scale. Bump FLAT_SCHEMA_VERSION and add a step in migrations.ts for every
 * change to this shape.
 */
export const FLAT_SCHEMA_VERSION = 4;

const finite = z.number().finite();
export const Id = z.string().min(1).max(200);

export const PointSchema = z.object({ x: finite, y: finite });
export type Point = z.infer<typeof PointSchema>;

/** Absolute path segments; arcs are converted to cubics on import, so the set stays small. */
export const SegmentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('M'), to: PointSchema }),
  z.object({ kind: z.literal('L'), to: PointSchema }),
  z.object({ kind: z.literal('C'), c1: PointSchema, c2: PointSchema, to: PointSchema }),
  z.object({ kind: z.literal('Q'), c: PointSchema, to: PointSchema }),
  z.object({ kind: z.literal('Z') }),
]);
export type Segment = z.infer<typeof SegmentSchema>;
/** A path must start with a move so every segment has a start point. */
export const SegmentsSchema = z
  .array(SegmentSchema)
  .refine((s) => s.length === 0 || s[0]!.kind === 'M', 'A path must start with a move (M) segment.');

/** A parsed colour (see isFlatColour): never an outside URL or a string passed through from a file. */
export const ColourSchema = z
  .string()
  .max(64)
  .refine(isFlatColour, { message: 'A colour is #rrggbb (or #rgb, #rrggbbaa), a CSS colour name, url(#id) of something in the same file, or none.' });
export const StrokeStyleSchema = z.object({
  stroke: ColourSchema.nullable(),
  strokeWidth: z.number().finite().nonnegative(),
  strokeOpacity: z.number().min(0).max(1).default(1),
  dash: z.array(z.number().finite().nonnegative()).nullable().default(null),
  dashOffset: finite.default(0),
  lineCap: z.enum(['butt', 'round', 'square']).default('round'),
  lineJoin: z.enum(['miter', 'round', 'bevel']).default('round'),
  miterLimit: z.number().finite().positive().default(4),
  opacity: z.number().min(0).max(1).default(1),
});
export const ShapeStyleSchema = StrokeStyleSchema.extend({
  fill: ColourSchema.nullable(),
  fillOpacity: z.number().min(0).max(1).default(1),
  fillRule: z.enum(['nonzero', 'evenodd']).default('nonzero'),
});
export type StrokeStyle = z.infer<typeof StrokeStyleSchema>;
export type ShapeStyle = z.infer<typeof ShapeStyleSchema>;

/** Which swatch fills a panel; angle turns the fabric's grain (degrees) inside the panel. */
export const FabricFillSchema = z.object({ swatchId: Id, angle: finite.default(0) });
export type FabricFill = z.infer<typeof FabricFillSchema>;

/** Largest repeat a motif fill may take: a panel is never wider than about two metres. */
export const MAX_MOTIF_REPEAT_CM = 200;
/**
 * An all-over print on a panel: the motif repeated edge to edge on a square block grid (the repeat
 * size is the motif's width on the garment, in centimetres), turned by `angle` degrees. It prints on
 * top of the panel's cloth, so a panel keeps its swatch under it.
 */
export const MotifFillSchema = z.object({
  motifId: Id,
  repeatCm: z.number().finite().positive().max(MAX_MOTIF_REPEAT_CM),
  angle: finite.default(0),
});
export type MotifFill = z.infer<typeof MotifFillSchema>;

const itemBase = { id: Id, layerId: Id, name: z.string().max(200).default('') };

/** panel: a closed garment piece; seam: an open construction line; detail: anything else drawn. */
export const ShapeRole = z.enum(['panel', 'seam', 'detail']);
export const ShapeSchema = z.object({
  ...itemBase,
  type: z.literal('shape'),
  role: ShapeRole,
  segments: SegmentsSchema,
  style: ShapeStyleSchema,
  fabric: FabricFillSchema.nullable().default(null),
  motifFill: MotifFillSchema.nullable().default(null),
});
export type Shape = z.infer<typeof ShapeSchema>;

export const STITCH_TYPES = ['topstitch', 'doubleNeedle', 'coverstitch', 'zigzag'] as const;
export const StitchType = z.enum(STITCH_TYPES);
export type StitchType = z.infer<typeof StitchType>;
/**
 * A stitch line. `segments` is the stitched line itself (already at its offset from the edge it
 * follows); double needle and coverstitch draw their rows `needleGap` apart around it.
 */
export const StitchLineSchema = z.object({
  ...itemBase,
  type: z.literal('stitch'),
  stitch: StitchType,
  segments: SegmentsSchema,
  /** The shape this line runs along, when it was made from one; null for imported stitch lines. */
  along: Id.nullable().default(null),
  offset: finite.default(0),
  stitchLength: z.number().finite().positive().default(2.5),
  spacing: z.number().finite().nonnegative().default(1.5),
  needleGap: z.number().finite().nonnegative().default(6.4),
  zigzagWidth: z.number().finite().nonnegative().default(3),
  style: StrokeStyleSchema,
});
export type StitchLine = z.infer<typeof StitchLineSchema>;

export const TRIM_TYPES = ['button', 'zipper', 'rivet', 'label', 'snap', 'eyelet'] as const;
export const TrimSchema = z.object({
  ...itemBase,
  type: z.literal('trim'),
  trim: z.enum(TRIM_TYPES),
  at: PointSchema,
  /** Diameter for round trims, width for labels; a zipper's length comes from `path`. */
  size: z.number().finite().positive(),
  rotation: finite.default(0),
  path: SegmentsSchema.nullable().default(null),
  text: z.string().max(500).default(''),
  colour: ColourSchema.default('#000000'),
});
export type Trim = z.infer<typeof TrimSchema>;

/** A note with a leader line; the leader's last point is what the note points at. */
export const CalloutSchema = z.object({
  ...itemBase,
  type: z.literal('callout'),
  text: z.string().max(2000),
  at: PointSchema,
  leader: z.array(PointSchema).max(32),
  fontSize: z.number().finite().positive().default(3.5),
  colour: ColourSchema.default('#000000'),
});
export type Callout = z.infer<typeof CalloutSchema>;

/**
 * A placed print (a chest print, a back neck motif): one motif printed once, stretched to its
 * placement box. `at` is the box's centre, `width` and `height` its size before `rotation` (degrees,
 * clockwise on screen, about the centre); `opacity` is the ink's coverage, as a discharge or a
 * half-tone print lets the cloth show through.
 */
export const PrintSchema = z.object({
  ...itemBase,
  type: z.literal('print'),
  motifId: Id,
  at: PointSchema,
  width: z.number().finite().positive(),
  height: z.number().finite().positive(),
  rotation: finite.default(0),
  opacity: z.number().min(0).max(1).default(1),
});
export type Print = z.infer<typeof PrintSchema>;

export const FlatItemSchema = z.discriminatedUnion('type', [ShapeSchema, StitchLineSchema, TrimSchema, CalloutSchema, PrintSchema]);
export type FlatItem = z.infer<typeof FlatItemSchema>;
export type FlatItemType = FlatItem['type'];

/** An on-curve point of a shape: the end point of segment `segment` (a Z has none). */
export const AnchorRefSchema = z.object({ shapeId: Id, segment: z.number().int().nonnegative() });
export type AnchorRef = z.infer<typeof AnchorRefSchema>;

export const MeasureUnit = z.enum(['cm', 'in']);
export type MeasureUnit = z.infer<typeof MeasureUnit>;
/** Point of measure: a straight measurement between two anchors; `value` follows the geometry. */
export const PomSchema = z.object({
  id: Id,
  code: z.string().min(1).max(32),
  name: z.string().max(200),
  from: AnchorRefSchema,
  to: AnchorRefSchema,
  value: finite,
  unit: MeasureUnit,
  tolerance: z.number().finite().nonnegative().nullable().default(null),
});
export type Pom = z.infer<typeof PomSchema>;

export const LayerSchema = z.object({ id: Id, name: z.string().max(200), visible: z.boolean(), locked: z.boolean() });
export type Layer = z.infer<typeof LayerSchema>;

export const GroupSchema = z.object({ id: Id, name: z.string().max(200).default(''), memberIds: z.array(Id).min(1) });
export type Group = z.infer<typeof GroupSchema>;

/** `target` is kept as the mirror image of `source` across the view's axis. */
export const TwinSchema = z.object({ id: Id, source: Id, target: Id });
export type Twin = z.infer<typeof TwinSchema>;

/**
 * A ruler guide: a line across the whole canvas that drawing snaps to. A vertical guide stands at
 * x = `at`, a horizontal one at y = `at`, in document units.
 */
export const GuideSchema = z.object({ id: Id, orientation: z.enum(['vertical', 'horizontal']), at: finite });
export type Guide = z.infer<typeof GuideSchema>;

export const ViewId = z.enum(['front', 'back']);
export type ViewId = z.infer<typeof ViewId>;
export const ViewSchema = z.object({
  id: ViewId,
  /** x of the vertical symmetry axis (centre front / centre back); null when the view has none. */
  axisX: finite.nullable(),
  layers: z.array(LayerSchema).min(1),
  /** Paint order: layers in order, and items in array order within a layer. */
  items: z.array(FlatItemSchema),
  poms: z.array(PomSchema).default([]),
  groups: z.array(GroupSchema).default([]),
  twins: z.array(TwinSchema).default([]),
  /** Saved with the view, as Illustrator keeps guides with the artboard; absent in older documents. */
  guides: z.array(GuideSchema).max(500).default([]),
});
export type FlatView = z.infer<typeof ViewSchema>;

export const GARMENT_CATEGORIES = [
  't-shirt', 'shirt', 'polo', 'hoodie', 'sweatshirt', 'jacket', 'coat', 'waistcoat', 'dress', 'skirt',
  'trousers', 'shorts', 'jumpsuit', 'swimwear', 'underwear', 'accessory', 'other',
] as const;
export const FlatAttributesSchema = z.object({
  category: z.enum(GARMENT_CATEGORIES).default('other'),
  sleeveLength: z.enum(['none', 'cap', 'short', 'elbow', 'three-quarter', 'long']).nullable().default(null),
  neckline: z.string().max(100).nullable().default(null),
  length: z.string().max(100).nullable().default(null),
  closure: z.string().max(100).nullable().default(null),
  pockets: z.string().max(100).nullable().default(null),
  tags: z.array(z.string().max(100)).max(100).default([]),
});
export type FlatAttributes = z.infer<typeof FlatAttributesSchema>;

/**
 * `mmPerUnit` says how many millimetres of garment one document unit stands for, so any drawing maps
 * to true scale. `name` is the unit the drawing was made in (an import's page millimetres); a drawing
 * made at any scale gets its `mmPerUnit` from one known length (import, or the calibrate command).
 */
export const UnitsSchema = z.object({ name: z.enum(['mm', 'cm', 'in', 'px']), mmPerUnit: z.number().finite().positive() });
export type Units = z.infer<typeof UnitsSchema>;

export const FlatDocumentSchema = z
  .object({
    schemaVersion: z.literal(FLAT_SCHEMA_VERSION),
    id: Id,
    name: z.string().max(200),
    units: UnitsSchema,
    page: z.object({ width: z.number().finite().positive(), height: z.number().finite().positive() }),
    views: z.array(ViewSchema).min(1).max(2),
    attributes: FlatAttributesSchema,
  })
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    for (const view of doc.views) {
      if (seen.has(view.id)) ctx.addIssue({ code: 'custom', message: `view "${view.id}" appears twice` });
      seen.add(view.id);
      const layers = new Set(view.layers.map((l) => l.id));
      const ids = new Set<string>();
      for (const item of view.items) {
        if (ids.has(item.id)) ctx.addIssue({ code: 'custom', message: `${view.id}: item id "${item.id}" appears twice` });
        ids.add(item.id);
        if (!layers.has(item.layerId))
          ctx.addIssue({ code: 'custom', message: `${view.id}: item "${item.id}" is on unknown layer "${item.layerId}"` });
      }
      const shapes = new Set(view.items.filter((i) => i.type === 'shape').map((i) => i.id));
      for (const pom of view.poms)
        for (const end of [pom.from, pom.to])
          if (!shapes.has(end.shapeId))
            ctx.addIssue({ code: 'custom', message: `${view.id}: POM "${pom.code}" refers to unknown shape "${end.shapeId}"` });
      for (const twin of view.twins)
        if (!shapes.has(twin.source) || !shapes.has(twin.target))
          ctx.addIssue({ code: 'custom', message: `${view.id}: twin "${twin.id}" refers to a missing shape` });
      for (const group of view.groups)
        for (const m of group.memberIds)
          if (!ids.has(m)) ctx.addIssue({ code: 'custom', message: `${view.id}: group "${group.id}" has unknown member "${m}"` });
    }
  });
export type FlatDocument = z.infer<typeof FlatDocumentSchema>;
/** What callers may hand in: defaults not yet filled. */
export type FlatDocumentInput = z.input<typeof FlatDocumentSchema>;
