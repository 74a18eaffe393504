import { util, type FabricObject, type TMat2D, type Transform } from 'fabric';
import { movingPoints, snapMove, snapTargets, type Point, type SnapTargets } from '../../../../../shared/flat';
import { GRID_MM, type CanvasContext } from './context';
import { pickAt, type HitCandidate } from './hit-test';
import type { Snapper } from './snapping';

/** Most (moving point, target anchor) pairs a select-tool drag compares per pointer move. */
const SNAP_PAIRS = 200_000;

/**
 * The select tool's move, scale and rotate: fabric transforms the objects live, the drag snaps the
 * moving items to anchors, guides, the axis and the grid, and letting go becomes one item.transform
 * command with the matrix fabric applied.
 */
export class SelectMove {
  private transformStart: TMat2D | null = null;
  /** A move in progress: what moves, what it may snap to, and where it started. */
  private moveSnap: { points: Point[]; targets: SnapTargets; left: number; top: number } | null = null;

  constructor(
    private readonly ctx: CanvasContext,
    private readonly snapper: Snapper,
  ) {
    // Every press and hover asks fabric for its target; the select tool's picks (and the direct
    // tool's, and the eyedropper's) then go by the document's lines and fills, not by bounding boxes.
    ctx.canvas.pickTarget = (objects, p, boxHit) => pickAt(objects.map((o) => this.candidate(o, boxHit)), p, ctx.tolerance());
  }

  /** A canvas object as the hit test sees it: its document item, and fabric's box where only fabric knows the shape. */
  private candidate(obj: FabricObject, boxHit: (obj: FabricObject) => boolean): HitCandidate<FabricObject> {
    const id = this.ctx.scene.idOf(obj);
    const item = id ? (this.ctx.scene.itemOf(id) ?? null) : null;
    // A callout's text is sized by the zoom, so only its fabric object knows the box; a selection of several is fabric's.
    if (!item || item.type === 'callout') return { target: obj, item, contains: () => boxHit(obj) };
    return { target: obj, item };
  }

  /** Whether a move is snapping (so a release clears its indicator). */
  get snapping(): boolean {
    return this.moveSnap !== null;
  }

  /** Release: the move's snapping is over. */
  end(): void {
    this.moveSnap = null;
  }

  begin(transform: Transform): void {
    const { canvas, scene, view, settings } = this.ctx;
    this.transformStart = transform.target.calcTransformMatrix();
    this.moveSnap = null;
    if (transform.action === 'drag' && view) {
      const ids = new Set(canvas.getActiveObjects().map((o) => scene.idOf(o)).filter((id): id is string => !!id));
      if (ids.size === 0) {
        const own = scene.idOf(transform.target);
        if (own) ids.add(own);
      }
      const targets = snapTargets(view, { hidden: this.ctx.hidden, exclude: ids, grid: settings.grid ? GRID_MM : null });
      this.moveSnap = {
        // Moving anchors times target anchors is the work of each frame: capped, a big selection snaps by its box.
        points: movingPoints(view, ids, Math.min(400, Math.floor(SNAP_PAIRS / Math.max(1, targets.anchors.length)))),
        targets,
        left: transform.original.left,
        top: transform.original.top,
      };
    }
    // Everything that is not moving is painted once; each frame of the drag repaints the rest.
    const live = canvas.getActiveObjects();
    canvas.freeze(live.length ? live : [transform.target]);
  }

  /** A select-tool drag snaps the moving items' bounds and anchors to anchors, guides, the axis and the grid. */
  moving(target: FabricObject | undefined): void {
    const ms = this.moveSnap;
    if (!target || !ms || !this.ctx.settings.snap) return;
    const delta = { x: (target.left ?? 0) - ms.left, y: (target.top ?? 0) - ms.top };
    const r = snapMove(ms.points, delta, ms.targets, this.ctx.tolerance() * 1.5);
    if (r.delta.x !== delta.x || r.delta.y !== delta.y) {
      target.set({ left: ms.left + r.delta.x, top: ms.top + r.delta.y });
      target.setCoords();
    }
    if (this.snapper.mark({ at: r.at, x: r.x, y: r.y })) this.ctx.renderTop();
  }

  modified(target: FabricObject | undefined): void {
    const { canvas, scene, view, host } = this.ctx;
    canvas.thaw();
    this.moveSnap = null;
    this.snapper.mark(null);
    if (!target || !this.transformStart || !view) return;
    const after = target.calcTransformMatrix();
    const delta = util.multiplyTransformMatrices(after, util.invertTransform(this.transformStart));
    this.transformStart = null;
    const ids = canvas
      .getActiveObjects()
      .map((o) => scene.idOf(o))
      .filter((id): id is string => !!id);
    if (ids.length === 0) return;
    canvas.discardActiveObject();
    const matrix: [number, number, number, number, number, number] = [delta[0], delta[1], delta[2], delta[3], delta[4], delta[5]];
    const doc = host.run({ type: 'item.transform', viewId: view.id, ids, matrix });
    if (doc) this.ctx.setDoc(doc);
    else {
      // Refused (a locked layer): put the objects back where the document has them.
      for (const id of ids) scene.invalidate(id);
      scene.sync(view);
    }
    this.ctx.select(ids);
  }
}
