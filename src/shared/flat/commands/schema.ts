import { z } from 'zod';
import {
  AnchorRefSchema,
  ColourSchema,
  FabricFillSchema,
  FlatAttributesSchema,
  FlatItemSchema,
  GuideSchema,
  Id,
  LayerSchema,
  MeasureUnit,
  MotifFillSchema,
  PointSchema,
  StitchType,
  ViewId,
} from '../schema';

const finite = z.number().finite();
const ids = z.array(Id).min(1).max(10_000);
const on = { viewId: ViewId };

export const MatrixSchema = z.tuple([finite, finite, finite, finite, finite, finite]);

/**
 * Every edit of a flat is one of these plain-JSON commands. They carry every id they create, so a
 * command means the same thing wherever and whenever it runs, and the history can be stored.
 */
export const FlatCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('item.add'), ...on, item: FlatItemSchema, index: z.number().int().nonnegative().optional() }),
  z.object({ type: z.literal('item.remove'), ...on, ids }),
  /** Replaces fields of one item; `id` and `type` cannot change. */
  z.object({ type: z.literal('item.update'), ...on, id: Id, changes: z.record(z.string(), z.unknown()) }),
  /** Move, scale, rotate, skew: one affine matrix applied to the geometry of every listed item. */
  z.object({ type: z.literal('item.transform'), ...on, ids, matrix: MatrixSchema }),
  z.object({
    type: z.literal('anchor.edit'),
    ...on,
    shapeId: Id,
    segment: z.number().int().nonnegative(),
    handle: z.enum(['to', 'c1', 'c2', 'c']),
    point: PointSchema,
  }),
  /**
   * Moves one anchor with its bezier handles (Illustrator's direct selection). With `mirror`, the
   * anchor's mirror image in the same path follows across the view's axis, and an anchor on the
   * axis stays on it.
   */
  z.object({ type: z.literal('anchor.move'), ...on, shapeId: Id, segment: z.number().int().nonnegative(), to: PointSchema, mirror: z.boolean().default(false) }),
  z.object({ type: z.literal('guide.add'), ...on, guide: GuideSchema }),
  z.object({ type: z.literal('guide.move'), ...on, id: Id, at: finite }),
  z.object({ type: z.literal('guide.remove'), ...on, ids }),
  z.object({
    type: z.literal('stitch.along'),
    ...on,
    id: Id,
    shapeId: Id,
    stitch: StitchType,
    /** mm from the edge; positive runs inside a closed panel, left of travel on an open line. */
    offset: finite,
    stitchLength: z.number().finite().positive().default(2.5),
    spacing: z.number().finite().nonnegative().default(1.5),
    needleGap: z.number().finite().nonnegative().default(6.4),
    layerId: Id.optional(),
    colour: ColourSchema.default('#000000'),
  }),
  z.object({
    type: z.literal('callout.add'),
    ...on,
    id: Id,
    layerId: Id,
    text: z.string().min(1).max(2000),
    at: PointSchema,
    target: PointSchema,
  }),
  z.object({
    type: z.literal('pom.add'),
    ...on,
    id: Id,
    code: z.string().min(1).max(32),
    name: z.string().max(200),
    from: AnchorRefSchema,
    to: AnchorRefSchema,
    unit: MeasureUnit,
  }),
  z.object({ type: z.literal('fabric.assign'), ...on, shapeIds: ids, fabric: FabricFillSchema.nullable() }),
  /**
   * Places a motif as a print. `index` puts it in paint order (just above the panel it sits on);
   * moving, turning and scaling go through item.transform, removing through item.remove.
   */
  z.object({
    type: z.literal('print.add'),
    ...on,
    id: Id,
    layerId: Id,
    motifId: Id,
    name: z.string().max(200).default(''),
    at: PointSchema,
    width: z.number().finite().positive(),
    height: z.number().finite().positive(),
    rotation: finite.default(0),
    opacity: z.number().min(0).max(1).default(1),
    index: z.number().int().nonnegative().optional(),
  }),
  /** Fills panels with a motif repeat (an all-over print over their cloth), or clears it with null. */
  z.object({ type: z.literal('motif.fill'), ...on, shapeIds: ids, fill: MotifFillSchema.nullable() }),
  z.object({ type: z.literal('group.create'), ...on, id: Id, name: z.string().max(200).default(''), memberIds: ids }),
  z.object({ type: z.literal('group.dissolve'), ...on, id: Id }),
  z.object({
    type: z.literal('align'),
    ...on,
    ids,
    edge: z.enum(['left', 'right', 'top', 'bottom', 'centerX', 'centerY']),
  }),
  z.object({ type: z.literal('distribute'), ...on, ids, axis: z.enum(['x', 'y']) }),
  z.object({ type: z.literal('layer.add'), ...on, layer: LayerSchema }),
  z.object({
    type: z.literal('layer.update'),
    ...on,
    id: Id,
    name: z.string().max(200).optional(),
    visible: z.boolean().optional(),
    locked: z.boolean().optional(),
  }),
  z.object({ type: z.literal('items.duplicate'), ...on, ids, newIds: ids, offset: PointSchema }),
  /** Items from the clipboard, already carrying fresh ids. */
  z.object({ type: z.literal('items.paste'), ...on, items: z.array(FlatItemSchema).min(1), layerId: Id.optional() }),
  /** A half outline ending on the axis becomes the whole closed panel. */
  z.object({ type: z.literal('mirror.join'), ...on, shapeId: Id }),
  /** A mirrored copy that stays the mirror image of the original as either is edited. */
  z.object({ type: z.literal('mirror.twin'), ...on, shapeId: Id, newId: Id, twinId: Id }),
  z.object({ type: z.literal('twin.break'), ...on, twinId: Id }),
  z.object({ type: z.literal('axis.set'), ...on, axisX: finite.nullable() }),
  z.object({ type: z.literal('attributes.set'), attributes: FlatAttributesSchema.partial() }),
  /**
   * Sets the flat's real-world scale: a line `length` document units long on the drawing is `cm` on
   * the garment. The drawing stays as it is; every POM is measured again at the new scale, and prints
   * and motif repeats keep their size in cm, so they are drawn larger or smaller on the page.
   */
  z.object({ type: z.literal('calibrate'), length: z.number().finite().positive(), cm: z.number().finite().positive() }),
]);
export type FlatCommand = z.infer<typeof FlatCommandSchema>;
export type FlatCommandInput = z.input<typeof FlatCommandSchema>;
export type FlatCommandType = FlatCommand['type'];
