import { enablePatches, produceWithPatches, type Draft, type Patch } from 'immer';
import { AppError } from '../../contract/errors';
import { mirrorX, translate, type Matrix } from '../geometry/matrix';
import { anchorPoint, flatten, isClosed, reverseSubpath, transformSegments } from '../geometry/path';
import { offsetPath, signedArea2 } from '../geometry/offset';
import { dragAnchor } from '../geometry/anchor';
import {
  FlatItemSchema,
  type FlatDocument,
  type FlatItem,
  type FlatView,
  type Segment,
  type Shape,
} from '../schema';
import { FlatCommandSchema, type FlatCommand, type FlatCommandInput } from './schema';
import { itemBounds, measurePom, transformItem } from './items';
import { scaleFor } from '../scale';

enablePatches();

export interface CommandResult {
  doc: FlatDocument;
  patches: Patch[];
  inverse: Patch[];
}

/** As many as the view schema allows. */
const MAX_GUIDES = 500;

const invalid = (message: string) => new AppError('INVALID_INPUT', message);

function viewOf(doc: Draft<FlatDocument>, viewId: string): Draft<FlatView> {
  const view = doc.views.find((v) => v.id === viewId);
  if (!view) throw invalid(`The flat has no ${viewId} view.`);
  return view;
}

function itemOf(view: Draft<FlatView>, id: string): Draft<FlatItem> {
  const item = view.items.find((i) => i.id === id);
  if (!item) throw invalid(`No item "${id}" in the ${view.id} view.`);
  return item;
}

function shapeOf(view: Draft<FlatView>, id: string): Draft<Shape> {
  const item = itemOf(view, id);
  if (item.type !== 'shape') throw invalid(`"${id}" is a ${item.type}, not a shape.`);
  return item;
}

/** Editing through a locked layer is refused, so a locked trace or template cannot drift. */
function assertEditable(view: Draft<FlatView>, item: { id: string; layerId: string }): void {
  const layer = view.layers.find((l) => l.id === item.layerId);
  if (layer?.locked) throw new AppError('CONFLICT', `"${item.id}" is on the locked layer "${layer.name}".`);
}

function assertLayer(view: Draft<FlatView>, layerId: string): void {
  const layer = view.layers.find((l) => l.id === layerId);
  if (!layer) throw invalid(`No layer "${layerId}" in the ${view.id} view.`);
  if (layer.locked) throw new AppError('CONFLICT', `The layer "${layer.name}" is locked.`);
}

function assertFreeId(view: Draft<FlatView>, id: string): void {
  const taken =
    view.items.some((i) => i.id === id) ||
    view.poms.some((p) => p.id === id) ||
    view.groups.some((g) => g.id === id) ||
    view.twins.some((t) => t.id === id) ||
    view.guides.some((g) => g.id === id);
  if (taken) throw new AppError('CONFLICT', `The id "${id}" is already used in the ${view.id} view.`);
}

/** Group ids stand for their members, so selecting a group and moving it moves what it holds. */
function expand(view: Draft<FlatView>, ids: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    const group = view.groups.find((g) => g.id === id);
    for (const m of group ? group.memberIds : [id]) {
      if (!seen.has(m)) {
        seen.add(m);
        out.push(m);
      }
    }
  }
  return out;
}

function editableItems(view: Draft<FlatView>, ids: readonly string[]): Draft<FlatItem>[] {
  return expand(view, ids).map((id) => {
    const item = itemOf(view, id);
    assertEditable(view, item);
    return item;
  });
}

function transformInPlace(item: Draft<FlatItem>, m: Matrix): void {
  Object.assign(item, transformItem(item as FlatItem, m));
}

function removeIds(view: Draft<FlatView>, ids: readonly string[]): void {
  const gone = new Set(ids);
  view.items = view.items.filter((i) => !gone.has(i.id));
  view.poms = view.poms.filter((p) => !gone.has(p.id) && !gone.has(p.from.shapeId) && !gone.has(p.to.shapeId));
  view.twins = view.twins.filter((t) => !gone.has(t.id) && !gone.has(t.source) && !gone.has(t.target));
  for (const g of view.groups) g.memberIds = g.memberIds.filter((m) => !gone.has(m));
  view.groups = view.groups.filter((g) => !gone.has(g.id) && g.memberIds.length > 0);
  // A stitch line keeps its geometry when the edge it followed goes away.
  for (const i of view.items) if (i.type === 'stitch' && i.along !== null && gone.has(i.along)) i.along = null;
}

/** The mirror of a half outline, joined to it into one closed outline. */
export function joinMirrored(segments: readonly Segment[], axisX: number): Segment[] {
  const other = reverseSubpath(transformSegments(segments, mirrorX(axisX)));
  const end = segments[segments.length - 1];
  const first = other[0];
  const endPt = end && end.kind !== 'Z' ? end.to : null;
  const join: Segment[] =
    first && first.kind === 'M' && endPt && Math.hypot(first.to.x - endPt.x, first.to.y - endPt.y) > 1e-6
      ? [{ kind: 'L', to: first.to }]
      : [];
  return [...segments, ...join, ...other.slice(1), { kind: 'Z' }];
}

function run(doc: Draft<FlatDocument>, cmd: FlatCommand): void {
  if (cmd.type === 'attributes.set') {
    Object.assign(doc.attributes, cmd.attributes);
    return;
  }
  if (cmd.type === 'calibrate') {
    const next = scaleFor(cmd.length, cmd.cm, doc.page);
    const keep = doc.units.mmPerUnit / next;
    // A print is artwork of a size in cm, not part of the drawing: it keeps its centre and real size.
    for (const view of doc.views)
      for (const item of view.items)
        if (item.type === 'print') {
          item.width *= keep;
          item.height *= keep;
        }
    doc.units.mmPerUnit = next;
    return;
  }
  const view = viewOf(doc, cmd.viewId);
  switch (cmd.type) {
    case 'item.add': {
      assertFreeId(view, cmd.item.id);
      assertLayer(view, cmd.item.layerId);
      const at = cmd.index === undefined ? view.items.length : Math.min(cmd.index, view.items.length);
      view.items.splice(at, 0, cmd.item);
      return;
    }
    case 'item.remove': {
      const items = editableItems(view, cmd.ids.filter((id) => view.items.some((i) => i.id === id) || view.groups.some((g) => g.id === id)));
      const known = new Set([...items.map((i) => i.id), ...view.poms.map((p) => p.id), ...view.twins.map((t) => t.id), ...view.groups.map((g) => g.id)]);
      const missing = cmd.ids.filter((id) => !known.has(id));
      if (missing.length) throw invalid(`Nothing to remove called ${missing.map((m) => `"${m}"`).join(', ')}.`);
      removeIds(view, [...cmd.ids, ...items.map((i) => i.id)]);
      return;
    }
    case 'item.update': {
      const item = itemOf(view, cmd.id);
      assertEditable(view, item);
      if ('id' in cmd.changes || 'type' in cmd.changes) throw invalid('An update cannot change an item\'s id or type.');
      const merged = FlatItemSchema.safeParse({ ...(item as FlatItem), ...cmd.changes });
      if (!merged.success) throw invalid(`The update makes "${cmd.id}" invalid: ${merged.error.issues[0]?.message ?? ''}`);
      if (merged.data.layerId !== item.layerId) assertLayer(view, merged.data.layerId);
      Object.assign(item, merged.data);
      return;
    }
    case 'item.transform': {
      for (const item of editableItems(view, cmd.ids)) transformInPlace(item, cmd.matrix);
      return;
    }
    case 'anchor.edit': {
      const shape = shapeOf(view, cmd.shapeId);
      assertEditable(view, shape);
      const seg = shape.segments[cmd.segment];
      if (!seg || seg.kind === 'Z') throw invalid(`Segment ${cmd.segment} of "${cmd.shapeId}" has no anchor.`);
      if (cmd.handle === 'to') seg.to = cmd.point;
      else if (cmd.handle === 'c' && seg.kind === 'Q') seg.c = cmd.point;
      else if ((cmd.handle === 'c1' || cmd.handle === 'c2') && seg.kind === 'C') seg[cmd.handle] = cmd.point;
      else throw invalid(`A ${seg.kind} segment has no handle "${cmd.handle}".`);
      return;
    }
    case 'anchor.move': {
      const shape = shapeOf(view, cmd.shapeId);
      assertEditable(view, shape);
      const seg = shape.segments[cmd.segment];
      if (!seg || seg.kind === 'Z') throw invalid(`Segment ${cmd.segment} of "${cmd.shapeId}" has no anchor.`);
      shape.segments = dragAnchor(shape.segments as Segment[], cmd.segment, cmd.to, cmd.mirror ? view.axisX : null);
      return;
    }
    case 'guide.add': {
      assertFreeId(view, cmd.guide.id);
      if (view.guides.length >= MAX_GUIDES) throw invalid(`A view holds at most ${MAX_GUIDES} guides.`);
      view.guides.push(cmd.guide);
      return;
    }
    case 'guide.move': {
      const guide = view.guides.find((g) => g.id === cmd.id);
      if (!guide) throw invalid(`No guide "${cmd.id}" in the ${view.id} view.`);
      guide.at = cmd.at;
      return;
    }
    case 'guide.remove': {
      const missing = cmd.ids.filter((id) => !view.guides.some((g) => g.id === id));
      if (missing.length) throw invalid(`No guide ${missing.map((m) => `"${m}"`).join(', ')} in the ${view.id} view.`);
      const gone = new Set(cmd.ids);
      view.guides = view.guides.filter((g) => !gone.has(g.id));
      return;
    }
    case 'stitch.along': {
      assertFreeId(view, cmd.id);
      const shape = shapeOf(view, cmd.shapeId);
      const layerId = cmd.layerId ?? shape.layerId;
      assertLayer(view, layerId);
      let sign = 1;
      if (isClosed(shape.segments)) {
        const outline = flatten(shape.segments, 0.1)[0]?.points ?? [];
        // Inside is to the right of travel for an outline drawn clockwise on screen.
        sign = signedArea2(outline) > 0 ? -1 : 1;
      }
      view.items.push({
        id: cmd.id,
        layerId,
        name: `${cmd.stitch} ${cmd.offset} mm`,
        type: 'stitch',
        stitch: cmd.stitch,
        segments: offsetPath(shape.segments, sign * cmd.offset),
        along: shape.id,
        offset: cmd.offset,
        stitchLength: cmd.stitchLength,
        spacing: cmd.spacing,
        needleGap: cmd.needleGap,
        zigzagWidth: 3,
        style: {
          stroke: cmd.colour,
          strokeWidth: 0.35,
          strokeOpacity: 1,
          dash: null,
          dashOffset: 0,
          lineCap: 'butt',
          lineJoin: 'round',
          miterLimit: 4,
          opacity: 1,
        },
      });
      return;
    }
    case 'callout.add': {
      assertFreeId(view, cmd.id);
      assertLayer(view, cmd.layerId);
      view.items.push({
        id: cmd.id,
        layerId: cmd.layerId,
        name: '',
        type: 'callout',
        text: cmd.text,
        at: cmd.at,
        leader: [cmd.at, cmd.target],
        fontSize: 3.5,
        colour: '#000000',
      });
      return;
    }
    case 'pom.add': {
      assertFreeId(view, cmd.id);
      for (const end of [cmd.from, cmd.to]) {
        const shape = shapeOf(view, end.shapeId);
        if (!anchorPoint(shape.segments, end.segment))
          throw invalid(`Segment ${end.segment} of "${end.shapeId}" is not an anchor to measure from.`);
      }
      const pom = { id: cmd.id, code: cmd.code, name: cmd.name, from: cmd.from, to: cmd.to, unit: cmd.unit, value: 0, tolerance: null };
      pom.value = measurePom(doc as FlatDocument, view as FlatView, pom) ?? 0;
      view.poms.push(pom);
      return;
    }
    case 'fabric.assign': {
      for (const id of cmd.shapeIds) {
        const shape = shapeOf(view, id);
        assertEditable(view, shape);
        shape.fabric = cmd.fabric;
      }
      return;
    }
    case 'print.add': {
      assertFreeId(view, cmd.id);
      assertLayer(view, cmd.layerId);
      const { type: _type, viewId: _view, index, ...fields } = cmd;
      const at = index === undefined ? view.items.length : Math.min(index, view.items.length);
      view.items.splice(at, 0, { ...fields, type: 'print' });
      return;
    }
    case 'motif.fill': {
      for (const id of cmd.shapeIds) {
        const shape = shapeOf(view, id);
        assertEditable(view, shape);
        // An all-over print goes on cloth: a seam line or a detail outline has no area to print on.
        if (cmd.fill && shape.role !== 'panel') throw invalid(`"${id}" is a ${shape.role}, not a panel: only panels take a motif fill.`);
        shape.motifFill = cmd.fill;
      }
      return;
    }
    case 'group.create': {
      assertFreeId(view, cmd.id);
      const members = expand(view, cmd.memberIds);
      for (const m of members) itemOf(view, m);
      // An item belongs to one group at a time: grouping groups merges them.
      for (const g of view.groups) g.memberIds = g.memberIds.filter((m) => !members.includes(m));
      view.groups = view.groups.filter((g) => g.memberIds.length > 0);
      view.groups.push({ id: cmd.id, name: cmd.name, memberIds: members });
      return;
    }
    case 'group.dissolve': {
      if (!view.groups.some((g) => g.id === cmd.id)) throw invalid(`No group "${cmd.id}".`);
      view.groups = view.groups.filter((g) => g.id !== cmd.id);
      return;
    }
    case 'align': {
      const items = editableItems(view, cmd.ids);
      const boxes = items.map((i) => itemBounds(i as FlatItem));
      const real = boxes.filter((b) => b !== null);
      if (real.length === 0) return;
      const target = {
        left: Math.min(...real.map((b) => b.minX)),
        right: Math.max(...real.map((b) => b.maxX)),
        top: Math.min(...real.map((b) => b.minY)),
        bottom: Math.max(...real.map((b) => b.maxY)),
      };
      items.forEach((item, k) => {
        const b = boxes[k];
        if (!b) return;
        const dx =
          cmd.edge === 'left' ? target.left - b.minX
          : cmd.edge === 'right' ? target.right - b.maxX
          : cmd.edge === 'centerX' ? (target.left + target.right) / 2 - (b.minX + b.maxX) / 2
          : 0;
        const dy =
          cmd.edge === 'top' ? target.top - b.minY
          : cmd.edge === 'bottom' ? target.bottom - b.maxY
          : cmd.edge === 'centerY' ? (target.top + target.bottom) / 2 - (b.minY + b.maxY) / 2
          : 0;
        if (dx !== 0 || dy !== 0) transformInPlace(item, translate(dx, dy));
      });
      return;
    }
    case 'distribute': {
      const items = editableItems(view, cmd.ids);
      const placed = items
        .map((item) => ({ item, box: itemBounds(item as FlatItem) }))
        .filter((p): p is { item: Draft<FlatItem>; box: NonNullable<typeof p.box> } => p.box !== null)
        .map((p) => ({ ...p, centre: cmd.axis === 'x' ? (p.box.minX + p.box.maxX) / 2 : (p.box.minY + p.box.maxY) / 2 }))
        .sort((a, b) => a.centre - b.centre);
      if (placed.length < 3) return;
      const first = placed[0]!.centre;
      const step = (placed[placed.length - 1]!.centre - first) / (placed.length - 1);
      placed.forEach((p, k) => {
        const d = first + k * step - p.centre;
        if (d !== 0) transformInPlace(p.item, cmd.axis === 'x' ? translate(d, 0) : translate(0, d));
      });
      return;
    }
    case 'layer.add': {
      if (view.layers.some((l) => l.id === cmd.layer.id)) throw new AppError('CONFLICT', `The layer id "${cmd.layer.id}" is taken.`);
      view.layers.push(cmd.layer);
      return;
    }
    case 'layer.update': {
      const layer = view.layers.find((l) => l.id === cmd.id);
      if (!layer) throw invalid(`No layer "${cmd.id}" in the ${view.id} view.`);
      if (cmd.name !== undefined) layer.name = cmd.name;
      if (cmd.visible !== undefined) layer.visible = cmd.visible;
      if (cmd.locked !== undefined) layer.locked = cmd.locked;
      return;
    }
    case 'items.duplicate': {
      const items = expand(view, cmd.ids).map((id) => itemOf(view, id));
      if (cmd.newIds.length !== items.length)
        throw invalid(`Duplicating ${items.length} items needs ${items.length} new ids, got ${cmd.newIds.length}.`);
      const copies = items.map((item, k) => {
        const id = cmd.newIds[k]!;
        assertFreeId(view, id);
        assertLayer(view, item.layerId);
        return { ...transformItem(item as FlatItem, translate(cmd.offset.x, cmd.offset.y)), id };
      });
      if (new Set(cmd.newIds).size !== cmd.newIds.length) throw invalid('The new ids must differ from each other.');
      view.items.push(...copies);
      return;
    }
    case 'items.paste': {
      if (new Set(cmd.items.map((i) => i.id)).size !== cmd.items.length) throw invalid('Pasted items must have distinct ids.');
      for (const item of cmd.items) {
        assertFreeId(view, item.id);
        const layerId = cmd.layerId ?? item.layerId;
        assertLayer(view, layerId);
        view.items.push({ ...item, layerId });
      }
      return;
    }
    case 'mirror.join': {
      if (view.axisX === null) throw invalid(`The ${view.id} view has no symmetry axis to mirror across.`);
      const shape = shapeOf(view, cmd.shapeId);
      assertEditable(view, shape);
      const moves = shape.segments.filter((s) => s.kind === 'M').length;
      if (moves !== 1 || shape.segments.some((s) => s.kind === 'Z'))
        throw invalid('Only an open half outline (one subpath, not closed) can be mirrored into a whole one.');
      shape.segments = joinMirrored(shape.segments as Segment[], view.axisX);
      shape.role = 'panel';
      return;
    }
    case 'mirror.twin': {
      if (view.axisX === null) throw invalid(`The ${view.id} view has no symmetry axis to mirror across.`);
      assertFreeId(view, cmd.newId);
      assertFreeId(view, cmd.twinId);
      const shape = shapeOf(view, cmd.shapeId);
      assertLayer(view, shape.layerId);
      view.items.push({ ...transformItem(shape as Shape, mirrorX(view.axisX)), id: cmd.newId } as FlatItem);
      view.twins.push({ id: cmd.twinId, source: shape.id, target: cmd.newId });
      return;
    }
    case 'twin.break': {
      if (!view.twins.some((t) => t.id === cmd.twinId)) throw invalid(`No mirrored twin "${cmd.twinId}".`);
      view.twins = view.twins.filter((t) => t.id !== cmd.twinId);
      return;
    }
    case 'axis.set': {
      view.axisX = cmd.axisX;
      return;
    }
  }
}

const sameSegments = (a: readonly Segment[], b: readonly Segment[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Keeps derived data true after any command: a twin follows whichever side was edited, and every
 * POM is re-measured from its anchors.
 */
function reconcile(before: FlatDocument, after: FlatDocument, draft: Draft<FlatDocument>): void {
  for (const view of draft.views) {
    const prev = before.views.find((v) => v.id === view.id);
    const next = after.views.find((v) => v.id === view.id)!;
    if (view.axisX !== null) {
      const mirror = mirrorX(view.axisX);
      for (const twin of view.twins) {
        const find = (v: FlatView | undefined, id: string) => v?.items.find((i) => i.id === id);
        const src = find(next, twin.source);
        const tgt = find(next, twin.target);
        if (src?.type !== 'shape' || tgt?.type !== 'shape') continue;
        const srcMoved = find(prev, twin.source) !== src || prev?.axisX !== next.axisX;
        const tgtMoved = find(prev, twin.target) !== tgt;
        const [from, toId] = !srcMoved && tgtMoved ? [tgt, twin.source] : [src, twin.target];
        const mirrored = transformSegments(from.segments, mirror);
        const dest = view.items.find((i) => i.id === toId);
        if (dest?.type === 'shape' && !sameSegments(dest.segments as Segment[], mirrored)) dest.segments = mirrored;
      }
    }
    for (const pom of view.poms) {
      const value = measurePom(draft as FlatDocument, view as FlatView, pom);
      if (value !== null && value !== pom.value) pom.value = value;
    }
  }
}

/**
 * Runs one command on a document. The document is never mutated; the result carries the patches
 * that redo the edit and the inverse patches that undo it exactly.
 */
export function applyCommand(doc: FlatDocument, input: FlatCommand | FlatCommandInput): CommandResult {
  const parsed = FlatCommandSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`Not a valid flat edit: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown shape'}`);
  }
  const [mid, p1, i1] = produceWithPatches(doc, (draft) => run(draft, parsed.data));
  const [next, p2, i2] = produceWithPatches(mid, (draft) => reconcile(doc, mid, draft));
  return { doc: next, patches: [...p1, ...p2], inverse: [...i2, ...i1] };
}
