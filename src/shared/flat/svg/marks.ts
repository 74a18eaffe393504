import type { Drawing, Mark, Pen } from '../geometry/marks';
import { formatPathData } from '../geometry/pathdata';
import { attrs, colour, esc, num } from './attrs';

type Attrs = Record<string, string | number | null | undefined>;

/** A pen as SVG stroke attributes; what the pen leaves unset stays at the SVG default. */
export function penAttrs(pen: Pen): Attrs {
  const dash = pen.dash && pen.dash.length ? pen.dash : null;
  return {
    stroke: colour(pen.colour),
    'stroke-width': pen.colour === null ? null : pen.width,
    'stroke-opacity': pen.strokeOpacity === undefined || pen.strokeOpacity === 1 ? null : pen.strokeOpacity,
    'stroke-dasharray': dash ? dash.map(num).join(' ') : null,
    'stroke-dashoffset': dash && pen.dashOffset ? pen.dashOffset : null,
    'stroke-linecap': pen.lineCap,
    'stroke-linejoin': pen.lineJoin,
    'stroke-miterlimit': pen.lineJoin === 'miter' && pen.miterLimit !== undefined && pen.miterLimit !== 4 ? pen.miterLimit : null,
  };
}

/** `own` goes first on the element: the ids and classes that name the item a mark belongs to. */
export function markSvg(mark: Mark, own: Attrs = {}): string {
  if (mark.kind === 'text')
    return `<text${attrs({ ...own, 'font-size': mark.fontSize, 'text-anchor': 'middle', x: mark.at.x || null, y: mark.at.y || null, fill: colour(mark.fill) })}>${esc(mark.text)}</text>`;
  const paint: Attrs = {
    fill: colour(mark.fill),
    ...(mark.pen ? penAttrs(mark.pen) : {}),
    opacity: mark.opacity === undefined || mark.opacity === 1 ? null : mark.opacity,
  };
  switch (mark.kind) {
    case 'path':
      return `<path${attrs({ ...own, d: formatPathData(mark.segments), ...paint })}/>`;
    // A centre at the origin is the SVG default, so a trim drawn about its centre writes none.
    case 'circle':
      return `<circle${attrs({ ...own, cx: mark.centre.x || null, cy: mark.centre.y || null, r: mark.r, ...paint })}/>`;
    case 'rect':
      return `<rect${attrs({ ...own, x: mark.x, y: mark.y, width: mark.width, height: mark.height, ...paint })}/>`;
  }
}

/** The SVG transform that places a drawing's local frame; null when it is drawn in place. */
export function placementTransform(drawing: Drawing): string | null {
  const p = drawing.placement;
  return p ? `translate(${num(p.at.x)} ${num(p.at.y)})${p.rotation ? ` rotate(${num(p.rotation)})` : ''}` : null;
}
