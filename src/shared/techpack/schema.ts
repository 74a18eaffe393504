import { z } from 'zod';

/**
 * The tech-pack document: what the technician writes (cover, colorways, grade rules, notes, manual
 * rows). BOM and POM rows that come from the project's flats and swatches are not stored here; they
 * are resolved at export time (src/main/services/techpack/resolve.ts), so a changed swatch or flat
 * shows up in the next revision. Stored as JSON in `techpacks.document`.
 */
export const TECHPACK_SCHEMA_VERSION = 1;

const Text = (max: number) => z.string().max(max);
const ItemId = z.string().min(1).max(100).regex(/^[\w.:-]+$/, 'An id is letters, digits and . _ : - only.');
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'A date is written YYYY-MM-DD.');
/** A decimal as the technician typed it ("1.5", "-0.25"); kept as text so it stays exact. */
export const DecimalText = z.string().trim().regex(/^[+-]?\d+(\.\d+)?$/, 'A measurement is a decimal number such as 1.5.');
const Hex = z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'A colour is written as #rrggbb.');

export const PAPER_SIZES = ['a4', 'letter'] as const;
export const Paper = z.enum(PAPER_SIZES);
export type Paper = z.infer<typeof Paper>;
export const LengthUnitSchema = z.enum(['cm', 'in']);

export const TECHPACK_STATUSES = ['draft', 'proto', 'sample', 'pre-production', 'production'] as const;

export const CoverSchema = z.object({
  styleNumber: Text(60).default(''),
  name: Text(200).default(''),
  season: Text(60).default(''),
  brand: Text(120).default(''),
  designer: Text(120).default(''),
  createdDate: IsoDate.nullable().default(null),
  dueDate: IsoDate.nullable().default(null),
  status: z.enum(TECHPACK_STATUSES).default('draft'),
});
export type Cover = z.infer<typeof CoverSchema>;

/** One colour of a colorway at a placement (body, rib, zipper tape...). */
export const ColorwayColourSchema = z.object({ placement: Text(120), name: Text(80), hex: Hex });
export const ColorwaySchema = z.object({
  id: ItemId,
  name: Text(120),
  code: Text(40).default(''),
  colours: z.array(ColorwayColourSchema).max(40).default([]),
  /** Chosen renders: ids of rows in `generations`, in the order they are shown. */
  renderIds: z.array(z.string().min(1).max(100)).max(8).default([]),
});
export type Colorway = z.infer<typeof ColorwaySchema>;

/** A BOM row the technician adds by hand (thread, packaging, a trim not drawn on the flat). */
export const BomRowInputSchema = z.object({
  id: ItemId,
  material: Text(200),
  fibreContent: Text(200).default(''),
  construction: Text(120).default(''),
  weight: Text(60).default(''),
  colourName: Text(80).default(''),
  colourHex: Hex.nullable().default(null),
  supplier: Text(200).default(''),
  reference: Text(120).default(''),
  placement: Text(200).default(''),
  quantity: Text(60).default(''),
});
export type BomRowInput = z.infer<typeof BomRowInputSchema>;
/** A row with every column blank: the schema's defaults, so a new column needs no second edit here. */
export const blankBomRow = (id: string): BomRowInput => BomRowInputSchema.parse({ id, material: '' });

/** Edits to a resolved row (placement, quantity) keyed by the row's id, kept across revisions. */
export const BomOverrideSchema = z.object({ placement: Text(200).optional(), quantity: Text(60).optional() });

/**
 * Grade rule for one point of measure: the increment from each size to the next, in the rule's unit.
 * One increment means the same step between every pair of sizes.
 */
export const GradeRuleSchema = z.object({
  code: z.string().min(1).max(32),
  unit: LengthUnitSchema,
  increments: z.array(DecimalText).min(1).max(30),
});
export type GradeRule = z.infer<typeof GradeRuleSchema>;

/** A point of measure the flats do not carry (or one overriding a flat's, by code). */
export const PomRowInputSchema = z.object({
  id: ItemId,
  code: z.string().trim().min(1).max(32),
  description: Text(200),
  /** Base-size value; null marks a row still to be measured (preflight refuses it). */
  value: DecimalText.nullable(),
  unit: LengthUnitSchema.nullable(),
  tolerance: DecimalText.nullable().default(null),
});
export type PomRowInput = z.infer<typeof PomRowInputSchema>;

export const PomTableSchema = z.object({
  /** Unit the sheet prints in; every value is converted exactly and rounded only for display. */
  unit: LengthUnitSchema.default('cm'),
  sizes: z.array(Text(12).min(1)).min(1).max(12).default(['M']),
  baseSize: Text(12).default('M'),
  gradeRules: z.array(GradeRuleSchema).max(200).default([]),
  rows: z.array(PomRowInputSchema).max(200).default([]),
  /** Tolerance for flat POMs that carry none, in `unit`. */
  defaultTolerance: DecimalText.nullable().default(null),
  /** Descriptions overriding the flat's POM names, by code (e.g. a bilingual description). */
  descriptions: z.record(z.string(), Text(200)).default({}),
});

export const ConstructionNoteSchema = z.object({ id: ItemId, title: Text(120), text: Text(2000) });
export const MotifRefSchema = z.object({ motifId: z.string().min(1).max(100), placement: Text(200).default('') });

export const TechPackDocumentSchema = z.object({
  schemaVersion: z.literal(TECHPACK_SCHEMA_VERSION).default(TECHPACK_SCHEMA_VERSION),
  cover: CoverSchema.default(CoverSchema.parse({})),
  paper: Paper.default('a4'),
  /** Flats shown on the flats sheet (ids of `flats`); empty = every flat of the project. */
  flatIds: z.array(z.string().min(1).max(200)).max(4).default([]),
  colorways: z.array(ColorwaySchema).max(12).default([]),
  bom: z
    .object({
      rows: z.array(BomRowInputSchema).max(200).default([]),
      overrides: z.record(z.string(), BomOverrideSchema).default({}),
    })
    .default({ rows: [], overrides: {} }),
  pom: PomTableSchema.default(PomTableSchema.parse({})),
  constructionNotes: z.array(ConstructionNoteSchema).max(100).default([]),
  motifs: z.array(MotifRefSchema).max(40).default([]),
  /**
   * The caption printed for a motif, by motif id, in place of the library's (a museum caption can
   * run to paragraphs); the library keeps its full text. Applies to referenced and printed motifs alike.
   */
  motifCaptions: z.record(z.string().min(1).max(100), Text(300)).default({}),
  /** What changed, written into the revision log at the next export. */
  revisionNote: Text(500).default(''),
});
export type TechPackDocument = z.infer<typeof TechPackDocumentSchema>;
export type TechPackDocumentInput = z.input<typeof TechPackDocumentSchema>;
