/** A box in a pattern's own (turned) space, in document units. */
export interface PageRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The page's bounding box as a pattern turned by `angleDeg` (patternTransform="rotate(angle)") sees
 * it: all of a pattern that can ever show on the page, so a pattern need not be drawn beyond it.
 */
export function pageRegion(page: { width: number; height: number }, angleDeg: number): PageRegion {
  const a = (-angleDeg * Math.PI) / 180;
  const [cos, sin] = [Math.cos(a), Math.sin(a)];
  const corners = [
    [0, 0],
    [page.width, 0],
    [0, page.height],
    [page.width, page.height],
  ].map(([x, y]) => [x! * cos - y! * sin, x! * sin + y! * cos] as const);
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const [x, y] = [Math.min(...xs), Math.min(...ys)];
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}
