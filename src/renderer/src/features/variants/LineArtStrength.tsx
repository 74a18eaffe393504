import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/** The ControlNet's conditioning scale as diffusers bounds it (and the contract checks). */
export const LINE_ART_MAX = 2;
const STEP = 0.05;

/** A slider value snapped to the step, so a drag records 0.85 rather than 0.8500000000000001. */
export function snapLineArt(x: number): number {
  return Math.min(LINE_ART_MAX, Math.max(0, Number((Math.round(x / STEP) * STEP).toFixed(2))));
}

interface Props {
  /** null: the pack's default. */
  value: number | null;
  /** The active pack's default strength. */
  defaultScale: number;
  onChange(value: number | null): void;
}

/**
 * Line-art strength: how hard the pack's ControlNet holds the render to the flat's lines. Only a pack
 * with a line-art ControlNet takes it, so the advanced fold shows this only for one.
 */
export function LineArtStrength({ value, defaultScale, onChange }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const shown = value ?? defaultScale;
  return (
    <div className="line-art" data-testid="line-art-strength">
      <label className="field-label" htmlFor={`${id}-line-art`} title={t('variants:advanced.lineArtHint')}>
        {t('variants:advanced.lineArt')}{' '}
        <span className="alpha__value" data-testid="line-art-value">
          {value === null ? t('variants:withNote', { value: shown.toFixed(2), note: t('variants:advanced.packDefault') }) : shown.toFixed(2)}
        </span>
      </label>
      <input
        id={`${id}-line-art`}
        type="range"
        min={0}
        max={LINE_ART_MAX}
        step={STEP}
        value={shown}
        data-testid="line-art-slider"
        aria-valuetext={`${t('variants:advanced.lineArt')} ${shown.toFixed(2)}`}
        onChange={(e) => onChange(snapLineArt(Number(e.target.value)))}
      />
      <button type="button" className="button button--small" disabled={value === null} data-testid="line-art-default" onClick={() => onChange(null)}>
        {t('variants:advanced.lineArtDefault', { scale: defaultScale.toFixed(2) })}
      </button>
    </div>
  );
}
