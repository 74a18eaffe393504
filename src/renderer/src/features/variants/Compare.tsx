import { useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useZoomPan, type View } from './useZoomPan';
import { RenderRegionPicker } from '../motifs';
import { alphaCaption } from './alpha-caption';

export interface ShownVariant {
  variant: 'image-biased' | 'text-biased';
  url: string;
  alpha: number;
  alphaAuto: boolean;
}

interface Props {
  imageBiased: ShownVariant;
  textBiased: ShownVariant;
  /** The flat rasterised (a data: URL), laid over each render when asked. */
  flatUrl: string | null;
}

const layer = (view: View): CSSProperties => ({ transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` });

/**
 * The two renders compared: side by side with one zoom and pan, or stacked under a before/after
 * slider; the flat can be laid over both to see how closely each keeps the sketch.
 */
export function Compare({ imageBiased, textBiased, flatUrl }: Props) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'side' | 'slider'>('side');
  const [overlay, setOverlay] = useState(false);
  const [split, setSplit] = useState(50);
  const { view, zoom, reset, handlers } = useZoomPan();
  const frame = useRef<HTMLDivElement>(null);

  const overlayImg = overlay && flatUrl ? <img className="compare__flat" src={flatUrl} alt="" data-testid="flat-overlay" draggable={false} /> : null;
  const label = (v: ShownVariant) =>
    `${t(`variants:${v.variant}`)} · ${alphaCaption(t, v.alpha, v.alphaAuto)}`;
  const pane = (v: ShownVariant, extra?: ReactNode) => (
    <div className="compare__layer" style={layer(view)}>
      <img className="compare__img" src={v.url} alt={label(v)} data-testid={`variant-${v.variant}`} draggable={false} />
      {extra}
      <RenderRegionPicker url={v.url} id={v.variant} />
    </div>
  );
  const size = () => frame.current?.getBoundingClientRect() ?? { width: 0, height: 0 };

  return (
    <div className="compare" data-testid="compare" data-mode={mode}>
      <div className="compare__tools">
        <div className="compare__mode" role="group" aria-label={t('variants:compareMode')}>
          <button type="button" className="compare__mode-btn" aria-pressed={mode === 'side'} data-testid="compare-side" onClick={() => setMode('side')}>
            {t('variants:sideBySide')}
          </button>
          <button type="button" className="compare__mode-btn" aria-pressed={mode === 'slider'} data-testid="compare-slider" onClick={() => setMode('slider')}>
            {t('variants:beforeAfter')}
          </button>
        </div>
        <label className="compare__check">
          <input type="checkbox" checked={overlay} disabled={!flatUrl} data-testid="toggle-flat-overlay" onChange={(e) => setOverlay(e.target.checked)} />
          {t('variants:flatOverlay')}
        </label>
        <span className="compare__zoom">
          <button type="button" className="compare__btn" aria-label={t('variants:zoomOut')} onClick={() => zoom(1 / 1.5, size())}>
            −
          </button>
          <span data-testid="zoom-level">{Math.round(view.scale * 100)}%</span>
          <button type="button" className="compare__btn" aria-label={t('variants:zoomIn')} data-testid="zoom-in" onClick={() => zoom(1.5, size())}>
            +
          </button>
          <button type="button" className="compare__btn" onClick={reset}>
            {t('variants:fit')}
          </button>
        </span>
      </div>
      {mode === 'side' ? (
        <div className="compare__pair" ref={frame}>
          {[imageBiased, textBiased].map((v) => (
            <figure key={v.variant} className="compare__figure">
              <div className="compare__frame" {...handlers} data-zoomed={view.scale > 1}>
                {pane(v, overlayImg)}
              </div>
              <figcaption>{label(v)}</figcaption>
            </figure>
          ))}
        </div>
      ) : (
        <figure className="compare__figure compare__figure--slider" ref={frame}>
          <div className="compare__frame" {...handlers}>
            {pane(textBiased, overlayImg)}
            <div className="compare__clip" style={{ clipPath: `inset(0 ${100 - split}% 0 0)` }}>
              {pane(imageBiased, overlayImg)}
            </div>
            <div className="compare__split" style={{ left: `${split}%` }} aria-hidden="true" />
            {/* On the picture's own corners, on the side each variant shows: a caption under the figure drifts from it. */}
            <span className="compare__tag compare__tag--start" data-testid="compare-tag-image-biased">
              {label(imageBiased)}
            </span>
            <span className="compare__tag compare__tag--end" data-testid="compare-tag-text-biased">
              {label(textBiased)}
            </span>
          </div>
          <input
            type="range"
            className="compare__range"
            min={0}
            max={100}
            value={split}
            aria-label={t('variants:beforeAfter')}
            data-testid="before-after"
            onChange={(e) => setSplit(Number(e.target.value))}
          />
        </figure>
      )}
    </div>
  );
}
