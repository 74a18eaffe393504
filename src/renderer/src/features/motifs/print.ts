import { flatten, itemBounds, newId, type FlatCommandInput, type FlatView, type Point, type Shape } from '../../../../shared/flat';
import type { MotifDrag } from './drag';

/**
 * A motif placed on the flat as a print. The flat document has no image item yet, so a print is a
 * detail shape (the print's placement box) whose name carries the motif id; `printMotifId` reads it
 * back, for the tech pack and for the canvas once it paints the image.
 */

const PRINT_TAG = /\[motif:([0-9a-f-]{36})\]$/i;
/** The print's side against the panel's smaller side: big enough to see, small enough to move. */
const PRINT_SHARE = 0.4;
/** A print dropped beside every panel still gets a sensible size (document units, mm by default). */
const LOOSE_PRINT_SIZE = 120;

export function printMotifId(item: { name: string }): string | null {
  return PRINT_TAG.exec(item.name)?.[1] ?? null;
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

export interface PrintPlacement {
  command: FlatCommandInput;
  /** The panel the print sits on, or null when it was dropped beside every panel. */
  panel: Shape | null;
}

/**
 * The command that places a dragged motif at a point: a square on the panel under the point, just
 * above that panel in paint order and on its layer, kept inside the panel's bounds.
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
  const [l, t, r, b] = [cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2];
  const label = drag.caption.trim() || 'Motif';
  const item: Shape = {
    id: newId('print'),
    layerId: panel?.layerId ?? fallbackLayerId,
    name: `Print: ${label.slice(0, 120)} [motif:${drag.motifId}]`,
    type: 'shape',
    role: 'detail',
    segments: [
      { kind: 'M', to: { x: l, y: t } },
      { kind: 'L', to: { x: r, y: t } },
      { kind: 'L', to: { x: r, y: b } },
      { kind: 'L', to: { x: l, y: b } },
      { kind: 'Z' },
    ],
    style: {
      stroke: '#9a6b12',
      strokeWidth: 1,
      strokeOpacity: 1,
      dash: [6, 3],
      dashOffset: 0,
      lineCap: 'butt',
      lineJoin: 'miter',
      miterLimit: 4,
      opacity: 1,
      fill: '#d4a017',
      fillOpacity: 0.25,
      fillRule: 'nonzero',
    },
    fabric: null,
  };
  const index = panel ? view.items.findIndex((i) => i.id === panel.id) + 1 : undefined;
  return { command: { type: 'item.add', viewId: view.id, item, ...(index !== undefined ? { index } : {}) }, panel };
}
