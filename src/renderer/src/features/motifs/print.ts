import { flatten, itemBounds, newId, type FlatCommandInput, type FlatItem, type FlatView, type Point, type Shape } from '../../../../shared/flat';
import type { MotifDrag } from './drag';

/**
 * A motif dropped on the flat becomes either a placed print (the document's `print` item: motif id,
 * placement box, rotation, opacity) or an all-over repeat on the panel under it (the panel's
 * `motifFill`: motif id and repeat size in cm). Both are plain document commands, so undo covers them.
 */

/** The print's side against the panel's smaller side: big enough to see, small enough to move. */
const PRINT_SHARE = 0.4;
/** A print dropped beside every panel still gets a sensible size (document units, mm by default). */
const LOOSE_PRINT_SIZE = 120;
/**
 * A new motif fill's repeat: one motif every 10 cm, a common block-repeat size for all-over prints on
 * tops and dresses; the technician changes it afterwards.
 */
export const DEFAULT_REPEAT_CM = 10;

/** The motif a print shows, or null for any other item. */
export function printMotifId(item: FlatItem): string | null {
  return item.type === 'print' ? item.motifId : null;
}

function inside(p: Point, polygon: readonly Point[]): boolean {
  let hit = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) hit = !hit;
  }
  return hit;
}

/** The topmost visible garment panel under a point (even-odd, as a cut-out inside a panel is not it). */
export function panelAt(view: FlatView, p: Point): Shape | null {
  const visible = new Set(view.layers.filter((l) => l.visible).map((l) => l.id));
  const order = new Map(view.layers.map((l, i) => [l.id, i]));
  const painted = view.items
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => item.type === 'shape' && item.role === 'panel' && visible.has(item.layerId))
    .sort((a, b) => (order.get(a.item.layerId)! - order.get(b.item.layerId)!) || a.index - b.index);
  for (let k = painted.length - 1; k >= 0; k--) {
    const shape = painted[k]!.item as Shape;
    // A panel is a closed piece even when its outline ends on its start point without a Z.
    const rings = flatten(shape.segments, 0.5).map((l) => l.points);
    if (rings.filter((ring) => ring.length >= 3 && inside(p, ring)).length % 2 === 1) return shape;
  }
  return null;
}

/** A print's name at most this long: it labels the print in the properties panel and the tech pack's placement line. */
const PRINT_NAME_MAX = 48;

/**
 * The name a placed print takes: the motif's caption, a museum label cut after its last whole word
 * (or anywhere in Chinese) with an ellipsis. No "Print:" in front: the tech pack already says it is a
 * placed print, and an English word stored in the flat would show on Chinese screens.
 */
export function printName(caption: string): string {
  const text = caption.trim().replace(/\s+/g, ' ') || 'Motif';
  const chars = Array.from(text);
  if (chars.length <= PRINT_NAME_MAX) return text;
  const head = chars.slice(0, PRINT_NAME_MAX - 1).join('');
  const space = head.lastIndexOf(' ');
  return `${(space >= PRINT_NAME_MAX / 2 ? head.slice(0, space) : head).replace(/[\s,.;:，。；：、]+$/u, '')}…`;
}

export interface PrintPlacement {
  command: FlatCommandInput;
  /** The panel the print sits on, or null when it was dropped beside every panel. */
  panel: Shape | null;
}

/**
 * The command that places a dragged motif at a point: a square placement on the panel under the
 * point, just above that panel in paint order and on its layer, kept inside the panel's bounds.
 */
export function motifPrintCommand(view: FlatView, at: Point, drag: MotifDrag, fallbackLayerId: string): PrintPlacement {
  const panel = panelAt(view, at);
  const box = panel ? itemBounds(panel) : null;
  const side = box ? Math.max(1, Math.min(box.maxX - box.minX, box.maxY - box.minY) * PRINT_SHARE) : LOOSE_PRINT_SIZE;
  let cx = at.x;
  let cy = at.y;
  if (box) {
    cx = Math.min(Math.max(cx, box.minX + side / 2), box.maxX - side / 2);
    cy = Math.min(Math.max(cy, box.minY + side / 2), box.maxY - side / 2);
  }
  const index = panel ? view.items.findIndex((i) => i.id === panel.id) + 1 : undefined;
  const command: FlatCommandInput = {
    type: 'print.add',
    viewId: view.id,
    id: newId('print'),
    layerId: panel?.layerId ?? fallbackLayerId,
    motifId: drag.motifId,
    name: printName(drag.caption),
    at: { x: cx, y: cy },
    width: side,
    height: side,
    ...(index !== undefined ? { index } : {}),
  };
  return { command, panel };
}

/** The command that fills the panel under a point with the motif as a repeat, or null off every panel. */
export function motifFillCommand(view: FlatView, at: Point, drag: MotifDrag, repeatCm = DEFAULT_REPEAT_CM): FlatCommandInput | null {
  const panel = panelAt(view, at);
  if (!panel) return null;
  return { type: 'motif.fill', viewId: view.id, shapeIds: [panel.id], fill: { motifId: drag.motifId, repeatCm, angle: panel.fabric?.angle ?? 0 } };
}
