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
}

export const DEFAULT_SVG_LIMITS: SvgLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxElements: 50_000,
  maxDepth: 64,
  maxPathSegments: 500_000,
  maxUseDepth: 8,
};

export const formatBytes = (n: number): string =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} bytes`;
