import { translate } from '../geometry/matrix';
import { bounds, unionBoxes, type Box } from '../geometry/path';
import { itemBounds, transformItem } from '../commands/items';
import type { FlatItem, Segment, ViewId } from '../schema';

/**
 * Sorting an imported drawing into its front and back views.
 *
 * - By name: a group or layer whose id, inkscape:label or class names a view (front, back, 正面,
 *   背面; any case, with words such as "view" or "layer" around it) puts what it holds in that view.
 *   Names are read whole, so "front pocket" or "background" name no view.
 * - By geometry, when nothing is named: the outlines fall into two clusters with a clear gap between
 *   them, side by side (the left one is the front, as technical flats are laid out) or, failing that,
 *   one above the other (the top one is the front). The two must be garments of about one size, so a
 *   single garment beside a detail drawing or a label stays one view.
 * - Otherwise it is one garment, and stays one front view.
 */
export type ViewsFound =
  | { by: 'names' }
  | { by: 'gap'; axis: 'x' | 'y' }
  | { by: 'halves' }
  | { by: 'one' };

/** How views are made: 'auto' reads names, then geometry; 'split' halves the page; 'one' keeps one view. */
export type ViewMode = 'auto' | 'one' | 'split';

const VIEW_WORDS: Record<string, ViewId> = { front: 'front', back: 'back', 正面: 'front', 背面: 'back', 前面: 'front', 后面: 'back', 背部: 'back' };
/** Words that may stand around a view's name without changing what it names. */
const FILLER = new Set(['view', 'views', 'side', 'layer', 'group', 'g', 'the', 'of', 'garment', 'flat', 'sketch', 'drawing', '视图', '图', '图层', '层', '面']);

/** The view one name stands for, or null: the name must be the view's word and nothing but filler. */
export function viewOfName(name: string | undefined): ViewId | null {
  if (!name) return null;
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/(正面|背面|前面|后面|背部|视图|图层)/g, ' $1 ')
    .split(/[^a-z\u4e00-\u9fff]+/)
    .filter((w) => w && !/^\d+$/.test(w));
  const views = words.filter((w) => w in VIEW_WORDS);
  if (views.length !== 1 || words.some((w) => !(w in VIEW_WORDS) && !FILLER.has(w))) return null;
  return VIEW_WORDS[views[0]!]!;
}

/** A container's view from any of its names (id, Inkscape label, each class). */
export function viewOfElement(attrs: Readonly<Record<string, string>>): ViewId | null {
  const names = [attrs['inkscape:label'], attrs.id, ...(attrs.class ?? '').split(/\s+/)];
  for (const n of names) {
    const v = viewOfName(n);
    if (v) return v;
  }
  return null;
}

interface Part {
  item: FlatItem;
  box: Box;
}

/** Shapes and stitch lines part by part (one path may draw both garments); other items whole. */
function parts(item: FlatItem): Part[] {
  if (item.type !== 'shape' && item.type !== 'stitch') return [{ item, box: itemBounds(item) ?? NOWHERE }];
  const subpaths: Segment[][] = [];
  for (const seg of item.segments) {
    if (seg.kind === 'M' || subpaths.length === 0) subpaths.push([]);
    subpaths[subpaths.length - 1]!.push(seg);
  }
  if (subpaths.length <= 1) return [{ item, box: bounds(item.segments) ?? NOWHERE }];
  return subpaths.map((segments) => ({ item: { ...item, segments }, box: bounds(segments) ?? NOWHERE }));
}

/** Where something without extent is taken to be: at the origin, so it stays with the front. */
const NOWHERE: Box = { minX: 0, minY: 0, maxX: 0, maxY: 0 };

/** Pieces of one item that land in the back get an id of their own, so neither view loses a part. */
function regroup(pieces: { part: Part; view: ViewId }[], taken: Set<string>): Record<ViewId, FlatItem[]> {
  const out: Record<ViewId, FlatItem[]> = { front: [], back: [] };
  const byItem = new Map<string, { part: Part; view: ViewId }[]>();
  for (const p of pieces) byItem.set(p.part.item.id, [...(byItem.get(p.part.item.id) ?? []), p]);
  for (const [id, list] of byItem) {
    for (const view of ['front', 'back'] as const) {
      const mine = list.filter((p) => p.view === view).map((p) => p.part.item);
      if (mine.length === 0) continue;
      const first = mine[0]!;
      const merged: FlatItem =
        mine.length > 1 && (first.type === 'shape' || first.type === 'stitch')
          ? { ...first, segments: mine.flatMap((m) => ('segments' in m ? m.segments : [])) }
          : first;
      const whole = list.every((p) => p.view === view);
      if (whole || view === 'front') {
        out[view].push(merged);
        continue;
      }
      let fresh = `${id}-back`;
      for (let n = 2; taken.has(fresh); n++) fresh = `${id}-back-${n}`;
      taken.add(fresh);
      out[view].push({ ...merged, id: fresh });
    }
  }
  return out;
}

const width = (b: Box) => b.maxX - b.minX;
const height = (b: Box) => b.maxY - b.minY;
const centre = (b: Box, axis: 'x' | 'y') => (axis === 'x' ? (b.minX + b.maxX) / 2 : (b.minY + b.maxY) / 2);

/** Two views of one garment are drawn at about one size; a detail or a label beside it is not. */
const SAME_SIZE = 0.75;
/**
 * The gap must be at least this share of the drawing across that axis, so a hairline is not a gap.
 * FreeSewing's jaeger jacket has its two views 2.2 mm apart across 257 mm (0.86%: the front's sleeve
 * buttons reach towards the back); a hairline is far below half of that.
 */
const CLEAR_GAP = 0.005;

function sameSize(a: Box, b: Box): boolean {
  const near = (p: number, q: number) => Math.min(p, q) >= SAME_SIZE * Math.max(p, q);
  return near(width(a), width(b)) && near(height(a), height(b));
}

/**
 * The cut between two garments of about one size with a clear gap between them along `axis`, or null.
 * Only outlines count (shapes, not notes or stitching), so a label in the gap does not join them.
 */
function findGap(outlines: Part[], axis: 'x' | 'y'): number | null {
  if (outlines.length < 2) return null;
  const lo = (b: Box) => (axis === 'x' ? b.minX : b.minY);
  const hi = (b: Box) => (axis === 'x' ? b.maxX : b.maxY);
  const sorted = [...outlines].sort((a, b) => lo(a.box) - lo(b.box));
  const extent = Math.max(...sorted.map((p) => hi(p.box))) - lo(sorted[0]!.box);
  const gaps: { at: number; size: number }[] = [];
  let reach = hi(sorted[0]!.box);
  for (const p of sorted.slice(1)) {
    if (lo(p.box) > reach) gaps.push({ at: (reach + lo(p.box)) / 2, size: lo(p.box) - reach });
    reach = Math.max(reach, hi(p.box));
  }
  for (const gap of gaps.sort((a, b) => b.size - a.size)) {
    if (gap.size < CLEAR_GAP * extent) break;
    const before = unionBoxes(outlines.filter((p) => hi(p.box) < gap.at).map((p) => p.box));
    const after = unionBoxes(outlines.filter((p) => lo(p.box) > gap.at).map((p) => p.box));
    if (before && after && sameSize(before, after)) return gap.at;
  }
  return null;
}

export interface SplitViews {
  found: ViewsFound;
  views: { id: ViewId; items: FlatItem[] }[];
  page: { width: number; height: number };
}

/**
 * The views of an imported drawing. `sides` holds the view that a named container gave an item. In
 * the result the back is moved over the front's place (the page is cut at the gap between them), so
 * each view is a garment on a page of its own.
 */
export function splitViews(items: FlatItem[], sides: ReadonlyMap<string, ViewId>, page: { width: number; height: number }, mode: ViewMode, visibleLayers: ReadonlySet<string>): SplitViews {
  const one = (): SplitViews => ({ found: { by: 'one' }, views: [{ id: 'front', items }], page });
  if (mode === 'one') return one();
  const taken = new Set(items.map((i) => i.id));
  const all = items.flatMap(parts);
  if (mode === 'split') return cut(all, 'x', page.width / 2, page, { by: 'halves' }, taken);

  if (items.some((i) => sides.has(i.id))) return byNames(all, sides, page, taken);
  const outlines = all.filter((p) => p.item.type === 'shape' && visibleLayers.has(p.item.layerId));
  for (const axis of ['x', 'y'] as const) {
    const at = findGap(outlines, axis);
    if (at !== null) return cut(all, axis, at, page, { by: 'gap', axis }, taken);
  }
  return one();
}

/** Everything before `at` is the front; the rest is the back, moved back by `at` onto its own page. */
function cut(all: Part[], axis: 'x' | 'y', at: number, page: SplitViews['page'], found: ViewsFound, taken: Set<string>): SplitViews {
  const pieces = all.map((part) => ({ part, view: (centre(part.box, axis) >= at ? 'back' : 'front') as ViewId }));
  return place(regroup(pieces, taken), axis, at, page, found);
}

/**
 * Cuts the page at `at`: the view past the cut (`moved`) comes over onto the other's place, centred
 * on it as the two views of one garment are, on a page that holds either. Halves of the page are
 * only cut: each half is its view's page.
 */
function place(split: Record<ViewId, FlatItem[]>, axis: 'x' | 'y', at: number, page: SplitViews['page'], found: ViewsFound, moved: ViewId = 'back'): SplitViews {
  const stay = unionBoxes(split[moved === 'back' ? 'front' : 'back'].map(itemBounds));
  const away = unionBoxes(split[moved].map(itemBounds));
  const lo = (b: Box) => (axis === 'x' ? b.minX : b.minY);
  const hi = (b: Box) => (axis === 'x' ? b.maxX : b.maxY);
  const side = axis === 'x' ? page.width : page.height;
  let d = -at;
  let size = Math.max(at, side - at);
  if (stay && away && found.by !== 'halves') {
    // Never past the page's start: a view wider than the other starts where the page does.
    d = Math.max(centre(stay, axis) - centre(away, axis), -lo(away));
    size = Math.max(size, hi(stay) + lo(stay), hi(away) + d + lo(stay));
  }
  const shift = axis === 'x' ? translate(d, 0) : translate(0, d);
  const items = (v: ViewId) => (v === moved ? split[v].map((i) => transformItem(i, shift)) : split[v]);
  return {
    found,
    views: [{ id: 'front', items: items('front') }, { id: 'back', items: items('back') }],
    page: axis === 'x' ? { width: size, height: page.height } : { width: page.width, height: size },
  };
}

/**
 * Named items go to their view; unnamed ones to the named view nearest them (or, with only one view
 * named, to the other one). Views drawn apart are then put on one page as a gap split would.
 */
function byNames(all: Part[], sides: ReadonlyMap<string, ViewId>, page: SplitViews['page'], taken: Set<string>): SplitViews {
  const named = (v: ViewId) => unionBoxes(all.filter((p) => sides.get(p.item.id) === v).map((p) => p.box));
  const boxes = { front: named('front'), back: named('back') };
  const pieces = all.map((part) => {
    const side = sides.get(part.item.id);
    if (side) return { part, view: side };
    if (!boxes.front || !boxes.back) return { part, view: (boxes.front ? 'back' : 'front') as ViewId };
    const d = (b: Box) => Math.hypot(centre(b, 'x') - centre(part.box, 'x'), centre(b, 'y') - centre(part.box, 'y'));
    return { part, view: (d(boxes.front) <= d(boxes.back) ? 'front' : 'back') as ViewId };
  });
  const split = regroup(pieces, taken);
  const f = unionBoxes(split.front.map(itemBounds));
  const b = unionBoxes(split.back.map(itemBounds));
  if (f && b) {
    const found: ViewsFound = { by: 'names' };
    if (f.maxX <= b.minX) return place(split, 'x', (f.maxX + b.minX) / 2, page, found);
    if (b.maxX <= f.minX) return place(split, 'x', (b.maxX + f.minX) / 2, page, found, 'front');
    if (f.maxY <= b.minY) return place(split, 'y', (f.maxY + b.minY) / 2, page, found);
    if (b.maxY <= f.minY) return place(split, 'y', (b.maxY + f.minY) / 2, page, found, 'front');
  }
  // Drawn over each other (layers shown one at a time): each view stays where it is.
  return { found: { by: 'names' }, views: [{ id: 'front', items: split.front }, { id: 'back', items: split.back }], page };
}
