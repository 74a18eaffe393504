import { Circle, Color, FabricText, Group, Path, Point, Rect, util, type FabricObject, type FabricObjectProps } from 'fabric';
import { formatPathData, type Drawing, type Mark, type Pen, type Placement, type Segment, type TextMark } from '../../../../../shared/flat';

// Per-object caching is off on purpose: measured with npm run bench:editor in software-rastered
// Chromium, painting 2,000 objects from 2,000 cache canvases took about 270 ms a frame against about
// 10 ms drawing the paths themselves. Pans and drags are served from one cached bitmap of the whole
// scene instead (FastCanvas.freeze). Strokes keep their width when scaled, as the document's
// transform keeps them.
export const OBJECT_LOOK = { objectCaching: false, strokeUniform: true, lockSkewingX: true, lockSkewingY: true, borderColor: '#2f6fed', cornerColor: '#ffffff', cornerStrokeColor: '#2f6fed', transparentCorners: false, cornerSize: 8 } as const;

export const pathData = (segments: readonly Segment[]): string => formatPathData(segments, 3) || 'M 0 0';

/** fabric has no stroke opacity of its own: it goes into the stroke colour's alpha. */
function strokeColour(pen: Pen): string | null {
  if (pen.colour === null || pen.strokeOpacity === undefined || pen.strokeOpacity === 1) return pen.colour;
  const c = new Color(pen.colour);
  return c.isUnrecognised ? pen.colour : c.setAlpha(c.getAlpha() * pen.strokeOpacity).toRgba();
}

type StrokeLook = Partial<
  Pick<FabricObjectProps, 'stroke' | 'strokeWidth' | 'strokeDashArray' | 'strokeDashOffset' | 'strokeLineCap' | 'strokeLineJoin' | 'strokeMiterLimit'>
>;

/** A pen as fabric stroke options; what the pen leaves unset takes the SVG default, as the export does. */
export function penLook(pen: Pen | null): StrokeLook {
  if (!pen) return { stroke: null, strokeWidth: 0, strokeDashArray: null };
  const dash = pen.dash && pen.dash.length ? [...pen.dash] : null;
  return {
    stroke: strokeColour(pen),
    strokeWidth: pen.width,
    strokeDashArray: dash,
    strokeDashOffset: dash ? (pen.dashOffset ?? 0) : 0,
    strokeLineCap: pen.lineCap ?? 'butt',
    strokeLineJoin: pen.lineJoin ?? 'miter',
    strokeMiterLimit: pen.miterLimit ?? 4,
  };
}

/**
 * Where fabric's text box bottom lies under a baseline: fabric sets a line `_fontSizeMult` font
 * sizes tall and puts its baseline `_fontSizeFraction` of that above the bottom.
 */
export function textBottom(mark: TextMark): number {
  const d = FabricText.ownDefaults;
  return mark.at.y + mark.fontSize * (d._fontSizeMult ?? 1.13) * (d._fontSizeFraction ?? 0.222);
}

/** The fabric object that draws one mark, at the mark's own coordinates. */
export function markObject(mark: Mark): FabricObject {
  if (mark.kind === 'text')
    return new FabricText(mark.text, {
      ...OBJECT_LOOK,
      left: mark.at.x,
      top: textBottom(mark),
      originX: 'center',
      originY: 'bottom',
      fontSize: mark.fontSize,
      fontFamily: 'Inter, "Noto Sans SC", system-ui, sans-serif',
      fill: mark.fill,
    });
  const paint = { ...OBJECT_LOOK, fill: mark.fill, ...penLook(mark.pen), opacity: mark.opacity ?? 1 };
  switch (mark.kind) {
    case 'path':
      return new Path(pathData(mark.segments), paint);
    // Centred origins: fabric's left/top are the outer edge of the stroke, the mark's are its geometry.
    case 'circle':
      return new Circle({ ...paint, left: mark.centre.x, top: mark.centre.y, radius: mark.r, originX: 'center', originY: 'center' });
    case 'rect':
      return new Rect({ ...paint, left: mark.x + mark.width / 2, top: mark.y + mark.height / 2, width: mark.width, height: mark.height, originX: 'center', originY: 'center' });
  }
}

/**
 * Turns the object about the drawing's local origin and moves that origin to the placement point,
 * whatever centre fabric gave the object from its contents.
 */
function place(obj: FabricObject, placement: Placement): void {
  const centre = obj.getCenterPoint();
  const turned = util.rotateVector(centre, util.degreesToRadians(placement.rotation));
  obj.set({ angle: placement.rotation });
  obj.setPositionByOrigin(new Point(placement.at.x + turned.x, placement.at.y + turned.y), 'center', 'center');
  obj.setCoords();
}

/** One fabric object for a whole drawing: the mark itself, or a group of them, placed as the drawing says. */
export function drawingObject(drawing: Drawing): FabricObject {
  const parts = drawing.marks.map(markObject);
  const obj = parts.length === 1 ? parts[0]! : new Group(parts, { ...OBJECT_LOOK });
  if (drawing.placement) place(obj, drawing.placement);
  return obj;
}
