import { Circle, FabricText, Group, Path, Polyline, Rect, type FabricObject } from 'fabric';
import { stitchRows, trimDrawing, type Callout, type FlatItem, type MotifFill, type Print, type Shape, type StitchLine, type Trim } from '../../../../../shared/flat';
import { CALLOUT_TEXT_PT, PX_PER_PT } from '../../../../../shared/techpack';
import { motifPicture } from '../../motifs/motif-pictures';
import { drawingObject, OBJECT_LOOK, pathData } from './marks';
import { motifRepeatScale } from './units';

/** Colour shown for a panel with a swatch assigned, by swatch id. */
export type SwatchColours = ReadonlyMap<string, string>;

/**
 * A panel with an all-over motif print: the cloth is filled as usual, then the motif repeat is
 * printed over it in document space (so it stays put as the panel is reshaped), then the outline.
 */
class MotifFilledPath extends Path {
  motifFill: MotifFill | null = null;
  /** Document units in a centimetre, as the repeat size is in centimetres on the garment. */
  perCm = 10;
  /** One callback per object, so a picture still loading is waited for once, not once per frame. */
  private readonly repaint = () => this.canvas?.requestRenderAll();

  override _renderFill(ctx: CanvasRenderingContext2D): void {
    super._renderFill(ctx);
    const fill = this.motifFill;
    const picture = fill ? motifPicture(fill.motifId, this.repaint) : null;
    if (!fill || !picture || picture.width === 0) return;
    const pattern = ctx.createPattern(picture.image, 'repeat');
    if (!pattern) return;
    const k = motifRepeatScale(fill.repeatCm, this.perCm, picture.width);
    // The path is drawn about its own centre: pathOffset takes it back to document coordinates.
    pattern.setTransform(new DOMMatrix().translate(-this.pathOffset.x, -this.pathOffset.y).rotate(fill.angle).scale(k, k));
    ctx.save();
    ctx.fillStyle = pattern;
    ctx.fill(this.fillRule === 'evenodd' ? 'evenodd' : 'nonzero');
    ctx.restore();
  }
}

/**
 * A placed print: the motif fitted inside its placement box (proportions kept), turned and faded as
 * the item says; until the artwork has loaded, or when it cannot be found, the crossed placement box.
 */
class PrintObject extends Rect {
  motifId = '';
  printOpacity = 1;
  private readonly repaint = () => this.canvas?.requestRenderAll();

  override _render(ctx: CanvasRenderingContext2D): void {
    const picture = motifPicture(this.motifId, this.repaint);
    const [w, h] = [this.width, this.height];
    if (picture && picture.width > 0 && picture.height > 0) {
      const k = Math.min(w / picture.width, h / picture.height);
      const [dw, dh] = [picture.width * k, picture.height * k];
      ctx.save();
      ctx.globalAlpha *= this.printOpacity;
      ctx.drawImage(picture.image, -dw / 2, -dh / 2, dw, dh);
      ctx.restore();
      return;
    }
    super._render(ctx);
    ctx.beginPath();
    ctx.moveTo(-w / 2, -h / 2);
    ctx.lineTo(w / 2, h / 2);
    ctx.moveTo(w / 2, -h / 2);
    ctx.lineTo(-w / 2, h / 2);
    ctx.stroke();
  }
}

function printObject(item: Print): FabricObject {
  const obj = new PrintObject({
    ...OBJECT_LOOK,
    left: item.at.x,
    top: item.at.y,
    width: item.width,
    height: item.height,
    angle: item.rotation,
    originX: 'center',
    originY: 'center',
    fill: 'rgba(212, 160, 23, 0.15)',
    stroke: '#9a6b12',
    strokeWidth: 0.5,
    strokeDashArray: [3, 1.5],
    // Prints keep their proportions: the artwork is never stretched one way.
    lockScalingFlip: true,
  });
  obj.motifId = item.motifId;
  obj.printOpacity = item.opacity;
  obj.setControlsVisibility({ mt: false, mb: false, ml: false, mr: false });
  return obj;
}

function shapeObject(item: Shape, swatches: SwatchColours, perCm: number): FabricObject {
  const s = item.style;
  const fabricFill = item.fabric ? (swatches.get(item.fabric.swatchId) ?? '#d9c7a3') : null;
  const Kind = item.motifFill ? MotifFilledPath : Path;
  const obj = new Kind(pathData(item.segments), {
    ...OBJECT_LOOK,
    fill: fabricFill ?? s.fill ?? null,
    fillRule: s.fillRule,
    stroke: s.stroke ?? undefined,
    strokeWidth: s.stroke ? s.strokeWidth : 0,
    strokeDashArray: s.dash ?? null,
    strokeLineCap: s.lineCap,
    strokeLineJoin: s.lineJoin,
    strokeMiterLimit: s.miterLimit,
    opacity: s.opacity,
  });
  if (obj instanceof MotifFilledPath) {
    obj.motifFill = item.motifFill;
    obj.perCm = perCm;
  }
  return obj;
}

/** Stitches and trims are drawn from the same marks as the SVG export, so canvas and tech pack agree. */
function stitchObject(item: StitchLine): FabricObject {
  return drawingObject({ placement: null, marks: stitchRows(item) });
}

function trimObject(item: Trim): FabricObject {
  return drawingObject(trimDrawing(item));
}

/**
 * A callout's font size in document units at canvas zoom `zoom` (screen pixels per unit): its print
 * size in points whatever the zoom, so a note on a whole garment at Fit reads as it will on the
 * sheet, where item.fontSize (garment scale, for a 1:1 SVG) would be a few pixels.
 */
export const calloutFontSize = (zoom: number): number => (CALLOUT_TEXT_PT * PX_PER_PT) / zoom;

/** Sets a callout object's text to its print size at `zoom`, in place, so a zoom keeps the selection. */
export function sizeCalloutText(obj: FabricObject, zoom: number): void {
  const text = obj instanceof FabricText ? obj : obj instanceof Group ? obj.getObjects().find((o) => o instanceof FabricText) : undefined;
  if (!(text instanceof FabricText)) return;
  text.set('fontSize', calloutFontSize(zoom));
  if (obj instanceof Group) obj.triggerLayout();
  obj.setCoords();
}

function calloutObject(item: Callout, zoom: number): FabricObject {
  const text = new FabricText(item.text, {
    ...OBJECT_LOOK,
    left: item.at.x,
    top: item.at.y,
    originY: 'bottom',
    fontSize: calloutFontSize(zoom),
    fontFamily: 'Inter, "Noto Sans SC", system-ui, sans-serif',
    fill: item.colour,
  });
  if (item.leader.length < 2) return text;
  const leader = new Polyline(item.leader.map((p) => ({ x: p.x, y: p.y })), { ...OBJECT_LOOK, fill: null, stroke: item.colour, strokeWidth: 0.3 });
  const dot = new Circle({ ...OBJECT_LOOK, left: item.leader.at(-1)!.x, top: item.leader.at(-1)!.y, radius: 0.8, fill: item.colour, originX: 'center', originY: 'center' });
  return new Group([leader, dot, text], { ...OBJECT_LOOK });
}

/**
 * The fabric object that draws one item of the document, at document coordinates; `perCm` is the
 * document's units in a centimetre (see units.ts), `zoom` the canvas's (callout text is sized by it).
 */
export function itemObject(item: FlatItem, swatches: SwatchColours, perCm: number, zoom = 1): FabricObject {
  switch (item.type) {
    case 'shape':
      return shapeObject(item, swatches, perCm);
    case 'stitch':
      return stitchObject(item);
    case 'trim':
      return trimObject(item);
    case 'callout':
      return calloutObject(item, zoom);
    case 'print':
      return printObject(item);
  }
}
