import { snapPoint, snapTargets, type FlatView, type Point, type SnapLine, type SnapTargets } from '../../../../../shared/flat';
import { GRID_MM, type CanvasContext } from './context';
import { paintGuide } from './paint';

/** What the last snap went to, shown while a gesture lasts. */
export interface SnapMark {
  at: Point | null;
  x: SnapLine | null;
  y: SnapLine | null;
}

const SNAP_COLOUR = 'rgba(214, 51, 108, 0.95)';

/**
 * Snaps pointer positions to the view's anchors, guides, axis and grid, and keeps the indicator of
 * where the last snap went. The targets are computed once per view, grid and set of hidden layers.
 */
export class Snapper {
  private cache: { view: FlatView; grid: number | null; hidden: ReadonlySet<string>; targets: SnapTargets } | null = null;
  private current: SnapMark | null = null;

  constructor(private readonly ctx: CanvasContext) {}

  /** Whether an indicator is showing. */
  get marked(): boolean {
    return this.current !== null;
  }

  /** The view's snap targets, kept while the view, the grid and the hidden layers stay the same. */
  targets(): SnapTargets | null {
    const { view, hidden } = this.ctx;
    if (!view) return null;
    const grid = this.ctx.settings.grid ? GRID_MM : null;
    const c = this.cache;
    if (c && c.view === view && c.grid === grid && c.hidden === hidden) return c.targets;
    const targets = snapTargets(view, { hidden, grid });
    this.cache = { view, grid, hidden, targets };
    return targets;
  }

  /** Snaps with snapping on (to anchors too, unless `anchors` is false) and marks where it went. */
  snapped(p: Point, anchors = true): Point {
    const all = this.ctx.settings.snap ? this.targets() : null;
    if (!all) return p;
    const r = snapPoint(p, anchors ? all : { ...all, anchors: [] }, this.ctx.tolerance() * 1.5);
    this.mark({ at: r.point, x: r.x, y: r.y });
    return r.point;
  }

  /** Drops the indicator without publishing it, as a tool change clears the top canvas anyway. */
  forget(): void {
    this.current = null;
  }

  /**
   * Keeps the snap indicator for anchors, guides and the axis; the grid is everywhere, so it is not
   * marked. Says whether the indicator changed, so a drag repaints the top canvas only then.
   */
  mark(m: SnapMark | null): boolean {
    const strong = (l: SnapLine | null) => (l && l.kind !== 'grid' ? l : null);
    const x = strong(m?.x ?? null);
    const y = strong(m?.y ?? null);
    const next = x || y ? { at: m?.at ?? null, x, y } : null;
    const before = this.current;
    this.current = next;
    const kinds = [x?.kind, y?.kind].filter(Boolean).join(',');
    const frame = this.ctx.frame;
    if (frame.dataset.snap !== kinds) frame.dataset.snap = kinds;
    const sameLine = (a: SnapLine | null, b: SnapLine | null) => a?.kind === b?.kind && a?.at === b?.at;
    return !(before === next || (before && next && sameLine(before.x, next.x) && sameLine(before.y, next.y) && before.at?.x === next.at?.x && before.at?.y === next.at?.y));
  }

  /** Where the last snap went: the guide or axis line lit, an anchor ringed (inside withViewport). */
  paint(ctx: CanvasRenderingContext2D, px: number): void {
    const m = this.current;
    if (!m) return;
    const canvas = this.ctx.canvas;
    if (m.x && m.x.kind !== 'anchor') paintGuide(ctx, canvas, 'vertical', m.x.at, SNAP_COLOUR, px, [4, 3]);
    if (m.y && m.y.kind !== 'anchor') paintGuide(ctx, canvas, 'horizontal', m.y.at, SNAP_COLOUR, px, [4, 3]);
    if (m.at) {
      ctx.strokeStyle = SNAP_COLOUR;
      ctx.lineWidth = 1.5 * px;
      ctx.beginPath();
      if (m.x?.kind === 'anchor') ctx.arc(m.at.x, m.at.y, 5 * px, 0, Math.PI * 2);
      else {
        ctx.moveTo(m.at.x - 4 * px, m.at.y - 4 * px);
        ctx.lineTo(m.at.x + 4 * px, m.at.y + 4 * px);
        ctx.moveTo(m.at.x + 4 * px, m.at.y - 4 * px);
        ctx.lineTo(m.at.x - 4 * px, m.at.y + 4 * px);
      }
      ctx.stroke();
    }
  }
}
