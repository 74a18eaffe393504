/**
 * Bounds on what an SVG import may cost. Real flats from Inkscape or Illustrator are kilobytes to a
 * few megabytes with hundreds of elements; anything far past these is refused before it can freeze
 * the studio.
 */
export interface SvgLimits {
  maxBytes: number;
  maxElements: number;
  maxDepth: number;
  maxPathSegments: number;
  maxUseDepth: number;
  /** Each side of the page, in millimetres. */
  minPageMm: number;
  maxPageMm: number;
}

/**
 * A flat's page in millimetres on each side: a centimetre (a label, a swatch card) to a hundred
 * metres (a whole marker). No garment drawing lies outside, and a page of 1e30 mm only makes every
 * later step (fabric at true scale, rendering) meaningless or enormous.
 */
export const FLAT_PAGE_MM = { min: 10, max: 100_000 } as const;

export const DEFAULT_SVG_LIMITS: SvgLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxElements: 50_000,
  maxDepth: 64,
  maxPathSegments: 500_000,
  maxUseDepth: 8,
  minPageMm: FLAT_PAGE_MM.min,
  maxPageMm: FLAT_PAGE_MM.max,
};

export const formatBytes = (n: number): string =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} bytes`;

/** A length in mm as a message shows it: mm, cm or m, or the number itself when it is absurd. */
export function formatMm(mm: number): string {
  if (!Number.isFinite(mm) || mm >= 1e7 || mm < 0.01) return `${mm.toPrecision(3)} mm`;
  if (mm >= 1000) return `${Number((mm / 1000).toPrecision(4))} m`;
  if (mm >= 10) return `${Number((mm / 10).toPrecision(4))} cm`;
  return `${Number(mm.toPrecision(4))} mm`;
}
