import { newId, snapPoint, type FlatView, type Guide, type Point } from '../../../../../shared/flat';
import type { CanvasContext } from './context';
import { guideAt } from './guides';
import { paintGuide } from './paint';
import type { Snapper } from './snapping';

/** A guide being dragged: a new one out of a ruler (id null) or an existing one. */
interface GuideDrag {
  id: string | null;
  orientation: Guide['orientation'];
  at: number;
  moved: boolean;
  /** Over the ruler it belongs to: letting go there removes the guide. */
  overRuler: boolean;
}

const GUIDE_COLOUR = 'rgba(0, 168, 214, 0.85)';
const GUIDE_SELECTED = '#2f6fed';

/**
 * The ruler guides of one canvas as things to pick and drag: out of a ruler to make one, along the
 * page to move one, back onto its ruler to remove it. Picking a guide lets go of the item selection
 * (`onTake`), so Delete removes the one thing that shows selected.
 */
export class GuideDragger {
  private picked: string | null = null;
  private drag: GuideDrag | null = null;

  constructor(
    private readonly ctx: CanvasContext,
    private readonly snapper: Snapper,
    private readonly onTake: () => void,
  ) {}

  get selected(): string | null {
    return this.picked;
  }

  get dragging(): boolean {
    return this.drag !== null;
  }

  private at(p: Point): Guide | null {
    return guideAt(this.ctx.view?.guides ?? [], p, this.ctx.tolerance());
  }

  select(id: string | null): void {
    if (this.picked === id) return;
    this.picked = id;
    if (id) this.onTake();
    this.publish();
    this.ctx.canvas.requestRenderAll();
  }

  /** Lets go of the picked guide without repainting (a view change repaints everything anyway). */
  forget(): void {
    this.picked = null;
  }

  /** Delete with a guide selected removes it; false when no guide is selected. */
  deleteSelected(): boolean {
    const id = this.picked;
    const view = this.ctx.view;
    if (!id || !view) return false;
    this.picked = null;
    this.ctx.host.run({ type: 'guide.remove', viewId: view.id, ids: [id] });
    this.publish();
    return true;
  }

  /** A press on a ruler: a new guide follows the pointer out of it. */
  fromRuler(orientation: Guide['orientation']): void {
    this.start({ id: null, orientation, at: Number.NaN, moved: false, overRuler: true });
  }

  /** A press with V or A: takes the guide under it, if any, and says whether it did. */
  press(p: Point): boolean {
    const guide = this.at(p);
    if (!guide) {
      if (this.picked) this.select(null);
      return false;
    }
    this.select(guide.id);
    this.start({ id: guide.id, orientation: guide.orientation, at: guide.at, moved: false, overRuler: false });
    return true;
  }

  /** Hovering a guide shows that it can be dragged across its line. */
  hover(p: Point): void {
    const guide = this.at(p);
    // After fabric has set its own cursor for this move.
    if (guide) this.ctx.canvas.upperCanvasEl.style.cursor = guide.orientation === 'vertical' ? 'col-resize' : 'row-resize';
  }

  /** After the document changed: a picked guide that is gone is no longer picked. */
  synced(view: FlatView): void {
    if (this.picked && !view.guides.some((g) => g.id === this.picked)) this.picked = null;
    this.publish();
  }

  /** Guides ride on the frame as data (orientation and position), for tests and tools. */
  publish(): void {
    const frame = this.ctx.frame;
    const guides = this.ctx.view?.guides ?? [];
    frame.dataset.guides = guides.map((g) => `${g.orientation === 'vertical' ? 'x' : 'y'}=${+g.at.toFixed(3)}`).join(' ');
    if (this.picked) frame.dataset.selectedGuide = this.picked;
    else delete frame.dataset.selectedGuide;
  }

  /** The view's guides on the scene; the one being dragged is painted on the top canvas instead. */
  paint(ctx: CanvasRenderingContext2D, view: FlatView, px: number): void {
    for (const g of view.guides)
      if (g.id !== this.drag?.id) paintGuide(ctx, this.ctx.canvas, g.orientation, g.at, g.id === this.picked ? GUIDE_SELECTED : GUIDE_COLOUR, px);
  }

  /** The guide being dragged, faint while over its ruler (letting go there removes it). */
  paintDragged(ctx: CanvasRenderingContext2D, px: number): void {
    const d = this.drag;
    if (d && Number.isFinite(d.at)) paintGuide(ctx, this.ctx.canvas, d.orientation, d.at, d.overRuler ? 'rgba(0, 168, 214, 0.35)' : GUIDE_SELECTED, px, d.overRuler ? [3, 3] : []);
  }

  /** Follows the pointer anywhere on the page until release, as the drag may leave the canvas for a ruler. */
  private start(drag: GuideDrag): void {
    this.drag = drag;
    const move = (e: MouseEvent) => this.move(e);
    const up = (e: MouseEvent) => {
      window.removeEventListener('mousemove', move, true);
      window.removeEventListener('mouseup', up, true);
      this.up(e);
    };
    window.addEventListener('mousemove', move, true);
    window.addEventListener('mouseup', up, true);
  }

  private overRuler(e: MouseEvent, orientation: Guide['orientation']): boolean {
    const r = this.ctx.frame.getBoundingClientRect();
    return orientation === 'vertical' ? e.clientX < r.left : e.clientY < r.top;
  }

  private move(e: MouseEvent): void {
    const drag = this.drag;
    if (!drag) return;
    const { canvas, settings } = this.ctx;
    const raw = this.ctx.scenePoint(e);
    const all = settings.snap ? this.snapper.targets() : null;
    // A guide snaps to anchors, the axis and the grid, never to the other guides.
    const p = all ? snapPoint(raw, { ...all, verticals: [], horizontals: [] }, this.ctx.tolerance() * 1.5).point : raw;
    drag.at = drag.orientation === 'vertical' ? p.x : p.y;
    // The guide leaves its old place at once (one repaint); from then on only the top canvas paints it.
    if (!drag.moved && drag.id) canvas.requestRenderAll();
    drag.moved = true;
    drag.overRuler = this.overRuler(e, drag.orientation);
    canvas.upperCanvasEl.style.cursor = drag.orientation === 'vertical' ? 'col-resize' : 'row-resize';
    this.ctx.renderTop();
  }

  private up(e: MouseEvent): void {
    const drag = this.drag;
    this.drag = null;
    const { view, host } = this.ctx;
    if (!drag || !view) return;
    const gone = this.overRuler(e, drag.orientation);
    if (drag.id === null) {
      if (drag.moved && !gone && Number.isFinite(drag.at)) {
        const id = newId('guide');
        if (host.run({ type: 'guide.add', viewId: view.id, guide: { id, orientation: drag.orientation, at: drag.at } })) this.select(id);
      }
    } else if (gone) {
      this.picked = null;
      host.run({ type: 'guide.remove', viewId: view.id, ids: [drag.id] });
    } else if (drag.moved && Number.isFinite(drag.at)) {
      host.run({ type: 'guide.move', viewId: view.id, id: drag.id, at: drag.at });
    }
    this.publish();
    // Puts a dragged guide back on the scene even when its edit was refused.
    if (drag.id && drag.moved) this.ctx.canvas.requestRenderAll();
    this.ctx.renderTop();
  }
}
