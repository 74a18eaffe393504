import { newId, type Point, type Segment } from '../../../../../shared/flat';
import { nearestAnchor, type AnchorHit } from '../model/drawing';
import type { CanvasContext } from './context';
import type { DrawingTools } from './drawing-tools';
import type { Snapper } from './snapping';

/**
 * The tools that act where they are clicked: text places a note, stitch runs a stitch line along the
 * shape clicked, measure takes two anchors as a point of measure, the eyedropper assigns (or with Alt
 * picks up) a panel's swatch.
 */
export class PointTools {
  private measureFrom: AnchorHit | null = null;

  constructor(
    private readonly ctx: CanvasContext,
    private readonly snapper: Snapper,
    private readonly drawing: DrawingTools,
  ) {}

  reset(): void {
    this.measureFrom = null;
  }

  down(e: MouseEvent, raw: Point, targetId: string | undefined): void {
    const { ctx } = this;
    const view = ctx.view!;
    switch (ctx.tool) {
      case 'text': {
        const at = this.snapper.snapped(raw, false);
        ctx.host.askText({ x: e.offsetX, y: e.offsetY }, (text) =>
          this.drawing.runAndSelect(
            {
              type: 'item.add',
              viewId: ctx.view!.id,
              item: { id: newId('text'), layerId: ctx.settings.layerId, name: '', type: 'callout', text, at, leader: [], fontSize: 6, colour: '#1d1d1f' },
            },
            (doc, cmd) => (cmd.type === 'item.add' ? [cmd.item.id] : []),
          ),
        );
        return;
      }
      case 'stitch': {
        const item = targetId ? view.items.find((i) => i.id === targetId) : undefined;
        if (item?.type !== 'shape') return;
        const id = newId('stitch');
        const layerId = view.layers.some((l) => l.id === 'stitching' && !l.locked) ? 'stitching' : ctx.settings.layerId;
        this.drawing.runAndSelect(
          { type: 'stitch.along', viewId: view.id, id, shapeId: item.id, stitch: ctx.settings.stitch, offset: ctx.settings.stitchOffset, layerId },
          () => [id],
        );
        return;
      }
      case 'measure': {
        const hit = nearestAnchor(view, raw, ctx.tolerance() * 2, ctx.hidden);
        if (!hit) return;
        if (!this.measureFrom) {
          this.measureFrom = hit;
          return ctx.renderTop();
        }
        const from = this.measureFrom;
        this.measureFrom = null;
        const code = `P${view.poms.length + 1}`;
        ctx.host.run({
          type: 'pom.add',
          viewId: view.id,
          id: newId('pom'),
          code,
          name: `Measurement ${code}`,
          from: { shapeId: from.shapeId, segment: from.segment },
          to: { shapeId: hit.shapeId, segment: hit.segment },
          unit: ctx.settings.unit,
        });
        return ctx.renderTop();
      }
      case 'eyedropper': {
        const item = targetId ? view.items.find((i) => i.id === targetId) : undefined;
        if (item?.type !== 'shape') return;
        if (e.altKey) {
          if (item.fabric) ctx.host.pickSwatch(item.fabric.swatchId);
          return;
        }
        if (ctx.settings.swatchId) ctx.host.run({ type: 'fabric.assign', viewId: view.id, shapeIds: [item.id], fabric: { swatchId: ctx.settings.swatchId, angle: 0 } });
        return;
      }
    }
  }

  /** A measurement half taken: the line from its first anchor to the pointer. */
  preview(cursor: Point | null): Segment[][] {
    return this.measureFrom && cursor ? [[{ kind: 'M', to: this.measureFrom.point }, { kind: 'L', to: cursor }]] : [];
  }
}
