import type { Guide, Point } from '../../../../../shared/flat';

/** A rectangle of the scene, in document units. */
export interface SceneRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The part of the scene a canvas `width` x `height` px shows through an axis-aligned viewport. */
export function visibleScene(vpt: readonly number[], width: number, height: number): SceneRect {
  const [a = 1, , , d = 1, e = 0, f = 0] = vpt;
  return { x0: -e / a, y0: -f / d, x1: (width - e) / a, y1: (height - f) / d };
}

/** The guide nearest to `p` within `tolerance` (document units) across its line, if any. */
export function guideAt(guides: readonly Guide[], p: Point, tolerance: number): Guide | null {
  let best: Guide | null = null;
  let bestD = tolerance;
  for (const g of guides) {
    const d = Math.abs((g.orientation === 'vertical' ? p.x : p.y) - g.at);
    if (d <= bestD) {
      best = g;
      bestD = d;
    }
  }
  return best;
}

/** One guide line across the visible scene; `px` is one screen pixel in document units. */
export function paintGuideLine(
  ctx: CanvasRenderingContext2D,
  orientation: Guide['orientation'],
  at: number,
  visible: SceneRect,
  colour: string,
  px: number,
  dash: readonly number[] = [],
): void {
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = px;
  ctx.setLineDash(dash.map((d) => d * px));
  ctx.beginPath();
  if (orientation === 'vertical') {
    ctx.moveTo(at, visible.y0);
    ctx.lineTo(at, visible.y1);
  } else {
    ctx.moveTo(visible.x0, at);
    ctx.lineTo(visible.x1, at);
  }
  ctx.stroke();
  ctx.restore();
}
