import { dragAnchor, type FlatView, type Point, type Segment, type Shape } from '../../../../../shared/flat';
import type { CanvasContext } from './context';
import type { Snapper } from './snapping';

type Handle = 'to' | 'c1' | 'c2' | 'c';
interface HandleRef {
  segment: number;
  handle: Handle;
  point: Point;
}
type HandleDrag = HandleRef & { now: Point };

/**
 * The direct-selection tool (A): a press picks a shape and shows its anchors and bezier handles; a
 * drag moves one of them, previewed on the top canvas and saved on release as one command. An anchor
 * carries its handles (and, with symmetry on, its mirror image); a handle moves alone.
 */
export class DirectSelect {
  private shapeId: string | null = null;
  private drag: HandleDrag | null = null;

  constructor(
    private readonly ctx: CanvasContext,
    private readonly snapper: Snapper,
  ) {}

  /** Lets go of the picked shape (a view change, a guide picked). */
  release(): void {
    this.shapeId = null;
  }

  /** Drops a handle drag in progress. */
  reset(): void {
    this.drag = null;
  }

  /** After the document changed: a picked shape that is gone is no longer picked. */
  synced(view: FlatView): void {
    if (this.shapeId && !view.items.some((i) => i.id === this.shapeId)) this.shapeId = null;
  }

  private shape(view: FlatView | null = this.ctx.view): Shape | null {
    const item = this.shapeId && view ? view.items.find((i) => i.id === this.shapeId) : undefined;
    return item?.type === 'shape' ? item : null;
  }

  /** Whether `p` is on a handle of the picked shape (a guide under it then stays put). */
  onHandle(p: Point): boolean {
    const shape = this.shape();
    return !!shape && !!this.handleAt(shape.segments, p);
  }

  down(raw: Point, targetId: string | undefined): void {
    const view = this.ctx.view!;
    const shape = this.shape(view);
    if (shape) {
      const hit = this.handleAt(shape.segments, raw);
      if (hit) {
        this.drag = { ...hit, now: hit.point };
        return;
      }
    }
    const item = targetId ? view.items.find((i) => i.id === targetId) : undefined;
    this.shapeId = item?.type === 'shape' ? item.id : null;
    this.ctx.pick(this.shapeId ? [this.shapeId] : []);
    this.ctx.canvas.requestRenderAll();
  }

  move(raw: Point): void {
    if (this.drag) this.drag.now = this.snapper.snapped(raw);
  }

  /** Release: saves a handle drag; false when there was none, so the release is someone else's. */
  up(): boolean {
    const view = this.ctx.view;
    if (!this.drag || !this.shapeId || !view) return false;
    const { segment, handle, now, point } = this.drag;
    this.drag = null;
    if (Math.hypot(now.x - point.x, now.y - point.y) > 1e-9) {
      if (handle === 'to') this.ctx.host.run({ type: 'anchor.move', viewId: view.id, shapeId: this.shapeId, segment, to: now, mirror: this.mirrorAxis() !== null });
      else this.ctx.host.run({ type: 'anchor.edit', viewId: view.id, shapeId: this.shapeId, segment, handle, point: now });
    }
    this.ctx.renderTop();
    return true;
  }

  /** The dragged path as it would be saved, and whether a mirrored twin will follow it. */
  preview(view: FlatView): { segments: Segment[]; twinFollows: boolean } | null {
    const shape = this.shape(view);
    if (!this.drag || !shape) return null;
    const segments = this.dragged(shape.segments, this.drag);
    // A mirrored twin follows the edit once it is made; show where it will go meanwhile.
    const twinFollows = view.axisX !== null && view.twins.some((t) => t.source === shape.id || t.target === shape.id);
    return { segments, twinFollows };
  }

  /** The picked shape's anchors and handles (inside withViewport), where a drag would leave them. */
  paintHandles(ctx: CanvasRenderingContext2D, view: FlatView, px: number): void {
    const shape = this.shape(view);
    if (!shape) return;
    const segs = this.drag ? this.dragged(shape.segments, this.drag) : shape.segments;
    ctx.lineWidth = px;
    ctx.strokeStyle = '#2f6fed';
    let prev: Point | null = null;
    for (const s of segs) {
      if (s.kind === 'C') {
        ctx.beginPath();
        if (prev) {
          ctx.moveTo(prev.x, prev.y);
          ctx.lineTo(s.c1.x, s.c1.y);
        }
        ctx.moveTo(s.to.x, s.to.y);
        ctx.lineTo(s.c2.x, s.c2.y);
        ctx.stroke();
        for (const c of [s.c1, s.c2]) {
          ctx.beginPath();
          ctx.arc(c.x, c.y, 3 * px, 0, Math.PI * 2);
          ctx.fillStyle = '#ffffff';
          ctx.fill();
          ctx.stroke();
        }
      }
      if (s.kind !== 'Z') {
        ctx.fillStyle = '#2f6fed';
        ctx.fillRect(s.to.x - 3 * px, s.to.y - 3 * px, 6 * px, 6 * px);
        prev = s.to;
      }
    }
  }

  /** With symmetry on and an axis in the view, anchor drags mirror across it. */
  private mirrorAxis(): number | null {
    const { settings, view } = this.ctx;
    return settings.symmetry && view ? view.axisX : null;
  }

  /** A handle drag's path as it would be saved: an anchor brings its handles (and its mirror image). */
  private dragged(segments: readonly Segment[], drag: HandleDrag): Segment[] {
    if (drag.handle === 'to') return dragAnchor(segments, drag.segment, drag.now, this.mirrorAxis());
    return editSegment(segments, drag.segment, drag.handle, drag.now);
  }

  private handleAt(segments: readonly Segment[], p: Point): HandleRef | null {
    const tol = this.ctx.tolerance() * 1.5;
    let best: HandleRef | null = null;
    let bestD = tol;
    segments.forEach((s, segment) => {
      const refs: [Handle, Point][] =
        s.kind === 'C' ? [['to', s.to], ['c1', s.c1], ['c2', s.c2]] : s.kind === 'Q' ? [['to', s.to], ['c', s.c]] : s.kind === 'Z' ? [] : [['to', s.to]];
      for (const [handle, point] of refs) {
        const d = Math.hypot(point.x - p.x, point.y - p.y);
        if (d <= bestD) {
          bestD = d;
          best = { segment, handle, point };
        }
      }
    });
    return best;
  }
}

function editSegment(segs: readonly Segment[], index: number, handle: Handle, p: Point): Segment[] {
  return segs.map((s, i) => {
    if (i !== index || s.kind === 'Z') return s;
    if (handle === 'to') return { ...s, to: p };
    if (s.kind === 'C' && (handle === 'c1' || handle === 'c2')) return { ...s, [handle]: p };
    if (s.kind === 'Q' && handle === 'c') return { ...s, c: p };
    return s;
  });
}
