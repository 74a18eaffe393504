import type { Canvas } from 'fabric';
import { mirrorX, transformSegments, type FlatDocument, type FlatView, type Guide, type Segment } from '../../../../../shared/flat';
import { GRID_MM } from './context';
import { paintGuideLine, visibleScene } from './guides';

/** What is painted around the document's objects: page, grid, axis, POMs; and the paths of gestures. */

export function withViewport(ctx: CanvasRenderingContext2D, canvas: Canvas, paint: () => void): void {
  const v = canvas.viewportTransform;
  ctx.save();
  ctx.transform(v[0], v[1], v[2], v[3], v[4], v[5]);
  paint();
  ctx.restore();
}

/** A guide line across what the canvas shows (inside withViewport). */
export function paintGuide(ctx: CanvasRenderingContext2D, canvas: Canvas, orientation: Guide['orientation'], at: number, colour: string, px: number, dash: number[] = []): void {
  paintGuideLine(ctx, orientation, at, visibleScene(canvas.viewportTransform, canvas.getWidth(), canvas.getHeight()), colour, px, dash);
}

/** The desk, the page with its shadow and, when on, the grid. */
export function paintPage(ctx: CanvasRenderingContext2D, canvas: Canvas, doc: FlatDocument, grid: boolean): void {
  const { width, height } = doc.page;
  const px = 1 / canvas.getZoom();
  ctx.save();
  ctx.fillStyle = '#e9eaee';
  ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.restore();
  withViewport(ctx, canvas, () => {
    // A hard offset edge, not shadowBlur: a blurred shadow of the whole page costs a software
    // rasteriser hundreds of milliseconds a frame.
    ctx.fillStyle = 'rgba(20, 24, 40, 0.12)';
    ctx.fillRect(3 * px, 3 * px, width, height);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    if (grid) {
      ctx.beginPath();
      for (let x = GRID_MM; x < width; x += GRID_MM) {
        ctx.moveTo(x, 0);
        ctx.lineTo(x, height);
      }
      for (let y = GRID_MM; y < height; y += GRID_MM) {
        ctx.moveTo(0, y);
        ctx.lineTo(width, y);
      }
      ctx.strokeStyle = 'rgba(47, 111, 237, 0.08)';
      ctx.lineWidth = px;
      ctx.stroke();
    }
  });
}

/** The centre front or back line, strong while symmetry is on (inside withViewport). */
export function paintAxis(ctx: CanvasRenderingContext2D, view: FlatView, axisX: number, pageHeight: number, symmetry: boolean, px: number): void {
  ctx.setLineDash([8 * px, 4 * px, 2 * px, 4 * px]);
  ctx.strokeStyle = symmetry ? 'rgba(214, 51, 108, 0.9)' : 'rgba(214, 51, 108, 0.45)';
  ctx.lineWidth = px;
  ctx.beginPath();
  ctx.moveTo(axisX, 0);
  ctx.lineTo(axisX, pageHeight);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = 'rgba(214, 51, 108, 0.9)';
  ctx.font = `${11 * px}px Inter, system-ui, sans-serif`;
  ctx.fillText(view.id === 'front' ? 'CF' : 'CB', axisX + 4 * px, 14 * px);
}

type AnchorEnd = { shapeId: string; segment: number };

/** A point of measure: the line between its two anchors, with its code and value (inside withViewport). */
export function paintPom(ctx: CanvasRenderingContext2D, view: FlatView, from: AnchorEnd, to: AnchorEnd, label: string, px: number): void {
  const at = (ref: AnchorEnd) => {
    const s = view.items.find((i) => i.id === ref.shapeId);
    const seg = s?.type === 'shape' ? s.segments[ref.segment] : undefined;
    return seg && seg.kind !== 'Z' ? seg.to : null;
  };
  const a = at(from);
  const b = at(to);
  if (!a || !b) return;
  ctx.strokeStyle = '#0a8f6a';
  ctx.fillStyle = '#0a8f6a';
  ctx.lineWidth = 1.2 * px;
  ctx.beginPath();
  ctx.moveTo(a.x, a.y);
  ctx.lineTo(b.x, b.y);
  ctx.stroke();
  for (const p of [a, b]) {
    ctx.beginPath();
    ctx.arc(p.x, p.y, 3 * px, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.font = `600 ${11 * px}px Inter, system-ui, sans-serif`;
  const mx = (a.x + b.x) / 2;
  const my = (a.y + b.y) / 2;
  const w = ctx.measureText(label).width;
  ctx.fillStyle = 'rgba(255,255,255,0.92)';
  ctx.fillRect(mx - w / 2 - 3 * px, my - 14 * px, w + 6 * px, 14 * px);
  ctx.fillStyle = '#0a8f6a';
  ctx.fillText(label, mx - w / 2, my - 3 * px);
}

export function tracePath(ctx: CanvasRenderingContext2D, segs: readonly Segment[]): void {
  for (const s of segs) {
    if (s.kind === 'M') ctx.moveTo(s.to.x, s.to.y);
    else if (s.kind === 'L') ctx.lineTo(s.to.x, s.to.y);
    else if (s.kind === 'C') ctx.bezierCurveTo(s.c1.x, s.c1.y, s.c2.x, s.c2.y, s.to.x, s.to.y);
    else if (s.kind === 'Q') ctx.quadraticCurveTo(s.c.x, s.c.y, s.to.x, s.to.y);
    else ctx.closePath();
  }
}

/** The segments reflected across the view's centre line (the shared geometry's mirrorX). */
export function mirrorSegments(segs: readonly Segment[], axisX: number): Segment[] {
  return transformSegments(segs, mirrorX(axisX));
}
