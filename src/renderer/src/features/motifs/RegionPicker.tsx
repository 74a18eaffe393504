import { useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { boxBetween, regionSearch, useRegionSearch, type OverlayBox, type RegionQuery } from './region';
import { useTranslation } from 'react-i18next';
import './motifs.css';

interface Props {
  /** Which overlay this is, so only the one the box was drawn on keeps showing it. */
  picker: string;
  /** Turns the drawn box (fractions of this overlay) into the query the motif panel runs. */
  resolve(box: OverlayBox, overlay: HTMLElement): Promise<RegionQuery>;
}

type Pt = { x: number; y: number };

/**
 * A transparent layer laid over a picture (the flat canvas, a render) while "search this region" is
 * on: drag a box and the motif panel searches with it. Outside the mode it takes no pointer events,
 * so the editor and the zoom underneath work as before.
 */
export function RegionPicker({ picker, resolve }: Props) {
  const { t } = useTranslation();
  const { active, pending } = useRegionSearch();
  const [drag, setDrag] = useState<{ from: Pt; to: Pt } | null>(null);
  const layer = useRef<HTMLDivElement>(null);
  const mine = pending?.picker === picker ? pending.box : null;
  if (!active && !mine) return null;

  const at = (e: ReactPointerEvent): Pt => {
    const r = layer.current!.getBoundingClientRect();
    return { x: (e.clientX - r.left) / Math.max(r.width, 1), y: (e.clientY - r.top) / Math.max(r.height, 1) };
  };
  const down = (e: ReactPointerEvent) => {
    if (!active || e.button !== 0) return;
    // The box is ours: the canvas must not start a selection or the render a pan under it.
    e.stopPropagation();
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    const p = at(e);
    setDrag({ from: p, to: p });
  };
  const move = (e: ReactPointerEvent) => {
    if (!drag) return;
    e.stopPropagation();
    setDrag({ from: drag.from, to: at(e) });
  };
  const up = (e: ReactPointerEvent) => {
    if (!drag) return;
    e.stopPropagation();
    const box = boxBetween(drag.from, at(e));
    setDrag(null);
    if (!box) return regionSearch.fail(t('motifs:region.tooSmall'));
    const overlay = layer.current!;
    void regionSearch.submit(picker, box, () => resolve(box, overlay));
  };

  const live = drag ? boxBetween(drag.from, drag.to) : null;
  const shown = live ?? mine;
  return (
    <div
      ref={layer}
      className={`region-picker ${active ? 'is-active' : ''}`}
      data-testid={`region-picker-${picker}`}
      title={active ? t('motifs:region.overlay') : undefined}
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={() => setDrag(null)}
    >
      {shown && (
        <div
          className={`region-picker__box ${mine && !live ? 'is-searching' : ''}`}
          data-testid="region-box"
          style={{ left: `${shown[0] * 100}%`, top: `${shown[1] * 100}%`, width: `${(shown[2] - shown[0]) * 100}%`, height: `${(shown[3] - shown[1]) * 100}%` }}
        />
      )}
    </div>
  );
}
