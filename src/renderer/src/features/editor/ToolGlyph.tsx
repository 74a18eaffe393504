import type { ReactNode } from 'react';
import type { ToolId } from './canvas/tools';

/** Small line glyphs in the manner of a vector editor's tool rail. */
export function ToolGlyph({ id }: { id: ToolId }) {
  const p = { fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, strokeLinecap: 'round' as const, strokeLinejoin: 'round' as const };
  const glyphs: Record<ToolId, ReactNode> = {
    select: <path {...p} fill="currentColor" d="M5 3l12 8-5 1.2 3 5.8-2 1-3-5.8L6 17z" />,
    direct: <path {...p} d="M5 3l12 8-5 1.2 3 5.8-2 1-3-5.8L6 17z" />,
    pen: <path {...p} d="M4 20l3-9 6-6 6 6-6 6zM13 5l6 6M9.5 14.5a1.5 1.5 0 1 0 .01 0" />,
    line: <path {...p} d="M5 19L19 5" />,
    curve: <path {...p} d="M4 18C8 4 16 4 20 18" />,
    rect: <rect {...p} x="4" y="6" width="16" height="12" />,
    ellipse: <ellipse {...p} cx="12" cy="12" rx="8" ry="6" />,
    text: <path {...p} d="M5 6V4h14v2M12 4v16M9 20h6" />,
    stitch: <path {...p} strokeDasharray="3 2" d="M4 16c4-8 12-8 16 0" />,
    callout: <path {...p} d="M4 5h16v10H10l-4 4v-4H4z" />,
    measure: <path {...p} d="M3 15L15 3l6 6L9 21zM7 11l2 2M10 8l2 2M13 5l2 2" />,
    eyedropper: <path {...p} d="M14 4l6 6-3 1-7 7H7v-3l7-7zM3 21l4-4" />,
    zoom: <path {...p} d="M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13zM15.5 15.5L20 20M8 10.5h5M10.5 8v5" />,
    hand: <path {...p} d="M8 12V5.5a1.5 1.5 0 0 1 3 0V11m0-6.5a1.5 1.5 0 0 1 3 0V11m0-5a1.5 1.5 0 0 1 3 0v8a6 6 0 0 1-6 6h-1a6 6 0 0 1-5-2.7L3.5 13a1.5 1.5 0 0 1 2.5-1.6L8 14" />,
  };
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
      {glyphs[id]}
    </svg>
  );
}
