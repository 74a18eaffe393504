import { newId, type FlatCommandInput, type FlatDocument, type Point, type Segment } from '../../../../../shared/flat';
import { ellipseSegments, makeShape, penSegments, rectSegments, smoothAnchor, type PenAnchor } from '../model/drawing';
import type { CanvasContext } from './context';
import type { Snapper } from './snapping';

/**
 * Pen and shape drawing: presses and drags become a path (pen anchors, a curve's three points, a
 * dragged line, rectangle or ellipse, a callout's leader), previewed on the top canvas while drawn and
 * added as one shape when done; with symmetry on, the new shape gets a mirrored twin.
 */
export class DrawingTools {
  private pen: PenAnchor[] = [];
  private penDown: Point | null = null;
  private dragFrom: Point | null = null;
  private curve: Point[] = [];

  constructor(
    private readonly ctx: CanvasContext,
    private readonly snapper: Snapper,
  ) {}

  /** Ends what was begun: the pen finishes its path open, other gestures are dropped. */
  reset(): void {
    if (this.pen.length >= 2) this.finishPen(false);
    this.pen = [];
    this.penDown = null;
    this.dragFrom = null;
    this.curve = [];
  }

  /** Enter, Escape or a double click: ends the pen's path open. */
  commitPen(): void {
    if (this.pen.length >= 2) this.finishPen(false);
    this.pen = [];
    this.ctx.renderTop();
  }

  down(raw: Point): void {
    switch (this.ctx.tool) {
      case 'pen': {
        const p = this.snapper.snapped(raw);
        const first = this.pen[0];
        if (first && this.pen.length >= 2 && Math.hypot(first.p.x - raw.x, first.p.y - raw.y) <= this.ctx.tolerance() * 1.5) {
          this.finishPen(true);
          return;
        }
        this.pen.push({ p });
        this.penDown = p;
        return this.ctx.renderTop();
      }
      case 'line':
      case 'rect':
      case 'ellipse':
      case 'callout':
        this.dragFrom = this.snapper.snapped(raw);
        return;
      case 'curve': {
        const p = this.snapper.snapped(raw);
        if (this.curve.length < 2) {
          this.curve.push(p);
        } else {
          const [a, b] = this.curve as [Point, Point];
          this.addDrawn([{ kind: 'M', to: a }, { kind: 'Q', c: raw, to: b }]);
          this.curve = [];
        }
        return this.ctx.renderTop();
      }
    }
  }

  /** A pen anchor dragged out becomes a smooth one, its handles following the pointer. */
  move(raw: Point): void {
    if (this.ctx.tool !== 'pen' || !this.penDown) return;
    const last = this.pen[this.pen.length - 1]!;
    if (Math.hypot(raw.x - last.p.x, raw.y - last.p.y) > this.ctx.tolerance()) this.pen[this.pen.length - 1] = smoothAnchor(last.p, raw);
  }

  up(e: MouseEvent, raw: Point): void {
    const { ctx } = this;
    if (ctx.tool === 'pen') this.penDown = null;
    const from = this.dragFrom;
    this.dragFrom = null;
    if (!from) return;
    const to = this.snapper.snapped(raw);
    const moved = Math.hypot(to.x - from.x, to.y - from.y) > ctx.tolerance();
    if (ctx.tool === 'callout') {
      const target = from;
      const at = moved ? to : { x: from.x + 20, y: from.y - 20 };
      ctx.host.askText({ x: e.offsetX, y: e.offsetY }, (text) => {
        const id = newId('note');
        this.runAndSelect({ type: 'callout.add', viewId: ctx.view!.id, id, layerId: ctx.settings.layerId, text, at, target }, () => [id]);
      });
      return ctx.renderTop();
    }
    if (!moved) return ctx.renderTop();
    if (ctx.tool === 'line') this.addDrawn([{ kind: 'M', to: from }, { kind: 'L', to }]);
    else if (ctx.tool === 'rect') this.addDrawn(rectSegments(from, to));
    else if (ctx.tool === 'ellipse') this.addDrawn(ellipseSegments(from, to));
    ctx.renderTop();
  }

  /** What is being drawn, as paths for the top canvas; `cursor` is where the pointer is now. */
  preview(cursor: Point | null): Segment[][] {
    const tool = this.ctx.tool;
    const out: Segment[][] = [];
    if (tool === 'pen' && this.pen.length) {
      const rubber = cursor && !this.penDown ? [...this.pen, { p: cursor }] : this.pen;
      out.push(penSegments(rubber, false));
    }
    if (this.dragFrom && cursor) {
      if (tool === 'line' || tool === 'callout') out.push([{ kind: 'M', to: this.dragFrom }, { kind: 'L', to: cursor }]);
      if (tool === 'rect') out.push(rectSegments(this.dragFrom, cursor));
      if (tool === 'ellipse') out.push(ellipseSegments(this.dragFrom, cursor));
    }
    if (tool === 'curve' && this.curve.length && cursor) {
      out.push(this.curve.length === 1 ? [{ kind: 'M', to: this.curve[0]! }, { kind: 'L', to: cursor }] : [{ kind: 'M', to: this.curve[0]! }, { kind: 'Q', c: cursor, to: this.curve[1]! }]);
    }
    return out;
  }

  /** The pen's anchors so far, the first one hollow as the place to close the path (inside withViewport). */
  paintPen(ctx: CanvasRenderingContext2D, px: number): void {
    if (this.ctx.tool !== 'pen') return;
    for (const [k, a] of this.pen.entries()) {
      ctx.fillStyle = k === 0 ? '#ffffff' : '#2f6fed';
      ctx.strokeStyle = '#2f6fed';
      ctx.fillRect(a.p.x - 3 * px, a.p.y - 3 * px, 6 * px, 6 * px);
      ctx.strokeRect(a.p.x - 3 * px, a.p.y - 3 * px, 6 * px, 6 * px);
    }
  }

  /** Runs a command that makes something, and selects what it made. */
  runAndSelect<C extends FlatCommandInput>(command: C, ids: (doc: FlatDocument, command: C) => string[]): void {
    const doc = this.ctx.host.run(command);
    if (!doc) return;
    this.ctx.setDoc(doc);
    this.ctx.select(ids(doc, command));
  }

  /** A drawn path becomes a shape; with symmetry on, its mirrored twin follows it from now on. */
  private addDrawn(segments: Segment[]): void {
    const { ctx } = this;
    const view = ctx.view!;
    const id = newId('shape');
    const doc = ctx.host.run({ type: 'item.add', viewId: view.id, item: makeShape(id, ctx.settings.layerId, segments) });
    if (!doc) return;
    ctx.setDoc(doc);
    if (ctx.settings.symmetry && view.axisX !== null) {
      const twin = ctx.host.run({ type: 'mirror.twin', viewId: view.id, shapeId: id, newId: newId('shape'), twinId: newId('twin') });
      if (twin) ctx.setDoc(twin);
    }
    ctx.select([id]);
  }

  private finishPen(closed: boolean): void {
    const anchors = this.pen;
    this.pen = [];
    this.penDown = null;
    if (anchors.length < 2) return;
    this.addDrawn(penSegments(anchors, closed));
    this.ctx.renderTop();
  }
}
