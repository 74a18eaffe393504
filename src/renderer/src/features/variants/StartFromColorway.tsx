import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/** diffusers' image-to-image default strength: what the option starts at when switched on. */
export const DEFAULT_INIT_STRENGTH = 0.8;
const STEP = 0.05;

/** A slider value snapped to the step and kept inside (0, 1]: 0 would leave no step to run. */
export function snapStrength(x: number): number {
  return Math.min(1, Math.max(STEP, Number((Math.round(x / STEP) * STEP).toFixed(2))));
}

interface Props {
  /** The strength when the render starts from the colorway; null: from pure noise. */
  value: number | null;
  /** Whether the active pack has a VAE encoder; without one the option is off and says why. */
  available: boolean;
  onChange(value: number | null): void;
}

/**
 * "Start from the colorway": image-to-image from the flat drawn in its fabric, as diffusers' img2img
 * does. The strength says how much of the schedule runs from it (1 is the same as from noise).
 */
export function StartFromColorway({ value, available, onChange }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const on = available && value !== null;
  const shown = value ?? DEFAULT_INIT_STRENGTH;
  return (
    <div className="init-colorway" data-testid="init-colorway">
      <label className="field-label" title={available ? t('variants:init.fromColorwayHint') : t('variants:init.noVaeEncoder')}>
        <input
          type="checkbox"
          checked={on}
          disabled={!available}
          data-testid="init-colorway-toggle"
          onChange={(e) => onChange(e.target.checked ? shown : null)}
        />{' '}
        {t('variants:init.fromColorway')}
      </label>
      {!available && (
        <p className="field-hint" data-testid="init-colorway-reason">
          {t('variants:init.noVaeEncoder')}
        </p>
      )}
      {on && (
        <>
          <label className="field-label" htmlFor={`${id}-strength`} title={t('variants:init.strengthHint')}>
            {t('variants:init.strength')}{' '}
            <span className="alpha__value" data-testid="init-strength-value">
              {shown.toFixed(2)}
            </span>
          </label>
          <input
            id={`${id}-strength`}
            type="range"
            min={STEP}
            max={1}
            step={STEP}
            value={shown}
            data-testid="init-strength"
            aria-valuetext={`${t('variants:init.strength')} ${shown.toFixed(2)}`}
            onChange={(e) => onChange(snapStrength(Number(e.target.value)))}
          />
        </>
      )}
    </div>
  );
}
