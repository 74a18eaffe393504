import { Canvas, util, type FabricObject, type Point as FabricPoint, type TMat2D } from 'fabric';
import type { Point } from '../../../../../shared/flat';

interface Frozen {
  bitmap: HTMLCanvasElement;
  vpt: TMat2D;
  /** Objects still painted every frame (the ones being dragged), over the bitmap. */
  live: FabricObject[];
}

/**
 * Says which of `objects` (paint order, bottom first) a pointer at scene point `p` is over;
 * `boxHit` is fabric's own bounding-box test, for objects only fabric knows the shape of.
 */
export type TargetPicker = (objects: FabricObject[], p: Point, boxHit: (obj: FabricObject) => boolean) => FabricObject | undefined;

/**
 * A fabric canvas that can freeze its scene into one bitmap. While the view pans, or while some
 * objects are dragged, every frame is then one bitmap copy plus the moving objects, instead of a
 * repaint of thousands of objects: that is what keeps a 2,000-object flat under a frame budget.
 */
export class FastCanvas extends Canvas {
  private frozen: Frozen | null = null;
  /** Replaces fabric's topmost-bounding-box target search when set (see hit-test.ts for why). */
  pickTarget: TargetPicker | null = null;

  get isFrozen(): boolean {
    return this.frozen !== null;
  }

  /** Paints everything but `live` once into a bitmap; later frames reuse it until thaw(). */
  freeze(live: FabricObject[] = []): void {
    const lower = this.getElement();
    const bitmap = document.createElement('canvas');
    bitmap.width = lower.width;
    bitmap.height = lower.height;
    const ctx = bitmap.getContext('2d');
    if (!ctx) return;
    const retina = this.getRetinaScaling();
    ctx.scale(retina, retina);
    const skip = new Set(live);
    const skipControls = this.skipControlsDrawing;
    this.skipControlsDrawing = true;
    super.renderCanvas(ctx, this.getObjects().filter((o) => !skip.has(o)));
    this.skipControlsDrawing = skipControls;
    this.frozen = { bitmap, vpt: [...this.viewportTransform] as TMat2D, live };
  }

  thaw(): void {
    if (!this.frozen) return;
    this.frozen = null;
    this.requestRenderAll();
  }

  override _searchPossibleTargets(objects: FabricObject[], pointer: FabricPoint): FabricObject | undefined {
    if (!this.pickTarget) return super._searchPossibleTargets(objects, pointer);
    const p = util.sendPointToPlane(pointer, undefined, this.viewportTransform);
    return this.pickTarget(
      objects.filter((o) => o.visible && o.evented),
      { x: p.x, y: p.y },
      (o) => this._checkTarget(o, pointer),
    );
  }

  override renderCanvas(ctx: CanvasRenderingContext2D, objects: FabricObject[]): void {
    const f = this.frozen;
    const v = this.viewportTransform;
    // A zoom cannot be served from the bitmap; anything else on the lower canvas can.
    if (!f || ctx !== this.getContext() || v[0] !== f.vpt[0] || v[3] !== f.vpt[3]) {
      super.renderCanvas(ctx, objects);
      return;
    }
    const retina = this.getRetinaScaling();
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#e9eaee';
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.drawImage(f.bitmap, Math.round((v[4] - f.vpt[4]) * retina), Math.round((v[5] - f.vpt[5]) * retina));
    ctx.restore();
    if (f.live.length) {
      ctx.save();
      ctx.transform(v[0], v[1], v[2], v[3], v[4], v[5]);
      this._renderObjects(ctx, f.live);
      ctx.restore();
    }
    this.drawControls(ctx);
  }
}
