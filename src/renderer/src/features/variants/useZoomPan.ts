import { useCallback, useRef, useState, type PointerEvent, type WheelEvent } from 'react';

export interface View {
  scale: number;
  x: number;
  y: number;
}

export const FIT: View = { scale: 1, x: 0, y: 0 };
const MIN = 1;
const MAX = 8;

/** Zoom about a point (in frame pixels) so the fabric under the cursor stays under it. */
export function zoomAt(v: View, factor: number, px: number, py: number): View {
  const scale = Math.min(MAX, Math.max(MIN, v.scale * factor));
  if (scale === MIN) return FIT;
  const k = scale / v.scale;
  return { scale, x: px - (px - v.x) * k, y: py - (py - v.y) * k };
}

/**
 * One zoom and pan shared by every frame that uses the handlers, so the two variants stay aligned
 * stitch for stitch while the technician inspects them.
 */
export function useZoomPan() {
  const [view, setView] = useState<View>(FIT);
  const drag = useRef<{ id: number; x: number; y: number } | null>(null);

  const onWheel = useCallback((e: WheelEvent<HTMLElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    setView((v) => zoomAt(v, e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX - r.left, e.clientY - r.top));
  }, []);
  const onPointerDown = useCallback((e: PointerEvent<HTMLElement>) => {
    if (e.button !== 0) return;
    drag.current = { id: e.pointerId, x: e.clientX, y: e.clientY };
    e.currentTarget.setPointerCapture?.(e.pointerId);
  }, []);
  const onPointerMove = useCallback((e: PointerEvent<HTMLElement>) => {
    const d = drag.current;
    if (!d || d.id !== e.pointerId) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    drag.current = { ...d, x: e.clientX, y: e.clientY };
    setView((v) => (v.scale === 1 ? v : { ...v, x: v.x + dx, y: v.y + dy }));
  }, []);
  const onPointerUp = useCallback(() => {
    drag.current = null;
  }, []);
  const zoom = useCallback((factor: number, frame: { width: number; height: number }) => setView((v) => zoomAt(v, factor, frame.width / 2, frame.height / 2)), []);

  return { view, setView, zoom, reset: () => setView(FIT), handlers: { onWheel, onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp } };
}
