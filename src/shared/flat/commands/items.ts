import { applyToPoint, meanScale, type Matrix } from '../geometry/matrix';
import { anchorPoint, bounds, boundsOfPoints, distance, transformSegments, unionBoxes, type Box } from '../geometry/path';
import type { FlatDocument, FlatItem, FlatView, Point, Pom, Print } from '../schema';

/** The item with its geometry put through `m`; strokes keep their width, as in any flat editor. */
export function transformItem<T extends FlatItem>(item: T, m: Matrix): T {
  switch (item.type) {
    case 'shape':
    case 'stitch':
      return { ...item, segments: transformSegments(item.segments, m) };
    case 'trim': {
      const turn = (Math.atan2(m[1], m[0]) * 180) / Math.PI;
      return {
        ...item,
        at: applyToPoint(m, item.at),
        size: item.size * meanScale(m) || item.size,
        rotation: item.rotation + turn,
        path: item.path ? transformSegments(item.path, m) : null,
      };
    }
    case 'callout':
      return { ...item, at: applyToPoint(m, item.at), leader: item.leader.map((p) => applyToPoint(m, p)) };
    case 'print': {
      // A print stays a rectangle of artwork: it moves, turns and scales, it is never sheared.
      const turn = (Math.atan2(m[1], m[0]) * 180) / Math.PI;
      const k = meanScale(m) || 1;
      return { ...item, at: applyToPoint(m, item.at), width: item.width * k, height: item.height * k, rotation: item.rotation + turn };
    }
  }
}

/** The four corners of a print's placement box, turned by its rotation about its centre. */
export function printCorners(print: Pick<Print, 'at' | 'width' | 'height' | 'rotation'>): Point[] {
  const rad = (print.rotation * Math.PI) / 180;
  const [c, s] = [Math.cos(rad), Math.sin(rad)];
  const [w, h] = [print.width / 2, print.height / 2];
  return [
    [-w, -h],
    [w, -h],
    [w, h],
    [-w, h],
  ].map(([dx, dy]) => ({ x: print.at.x + dx! * c - dy! * s, y: print.at.y + dx! * s + dy! * c }));
}

export function itemBounds(item: FlatItem): Box | null {
  switch (item.type) {
    case 'shape':
    case 'stitch':
      return bounds(item.segments);
    case 'trim': {
      const r = item.size / 2;
      const own = { minX: item.at.x - r, minY: item.at.y - r, maxX: item.at.x + r, maxY: item.at.y + r };
      return unionBoxes([own, item.path ? bounds(item.path) : null]);
    }
    case 'callout':
      return boundsOfPoints([item.at, ...item.leader]);
    case 'print':
      return boundsOfPoints(printCorners(item));
  }
}

/** A POM's value from the geometry: straight distance between its anchors, in its unit, to 0.01. */
export function measurePom(doc: Pick<FlatDocument, 'units'>, view: FlatView, pom: Pick<Pom, 'from' | 'to' | 'unit'>): number | null {
  const point = (shapeId: string, segment: number) => {
    const shape = view.items.find((i) => i.id === shapeId);
    return shape?.type === 'shape' ? anchorPoint(shape.segments, segment) : null;
  };
  const a = point(pom.from.shapeId, pom.from.segment);
  const b = point(pom.to.shapeId, pom.to.segment);
  if (!a || !b) return null;
  const mm = distance(a, b) * doc.units.mmPerUnit;
  return Math.round((pom.unit === 'cm' ? mm / 10 : mm / 25.4) * 100) / 100;
}
