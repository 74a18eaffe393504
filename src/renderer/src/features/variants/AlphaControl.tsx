import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GARMENT_SCHEDULERS, type InstalledPack } from '../../../../shared/contract';
import { alphaCaption } from './alpha-caption';
import { LineArtStrength } from './LineArtStrength';

export interface RenderSettings {
  /** 'auto': the model's harmonized alpha; a number: the technician's. */
  alpha: 'auto' | number;
  seedLocked: boolean;
  seed: number | null;
  /** null: the pack's default. */
  steps: number | null;
  scheduler: (typeof GARMENT_SCHEDULERS)[number] | null;
  /** Line-art strength for a pack with a ControlNet; null: the pack's default. */
  controlScale: number | null;
}

export const DEFAULT_SETTINGS: RenderSettings = { alpha: 'auto', seedLocked: false, seed: null, steps: null, scheduler: null, controlScale: null };
const COMMIT_DELAY_MS = 450;

export const newSeed = (): number => Math.floor(Math.random() * 2 ** 32);

interface Props {
  settings: RenderSettings;
  onChange(settings: RenderSettings): void;
  /** The alpha the model computed for the result on show, if it was automatic. */
  autoAlpha: number | null;
  /** Called once the slider rests at a new value: re-render at that alpha with the same seed. */
  onAlphaCommit(alpha: number): void;
  canRerender: boolean;
  /** The active garment pack's line-art ControlNet; null (no strength to set) for a pack without one. */
  lineArtControl: InstalledPack['lineArtControl'];
}

/**
 * alpha in the trade's words. The slider runs from "follow the sketch" (alpha 1) to "follow the
 * text" (alpha 0); the automatic value is marked on it. A resting slider re-renders.
 */
export function AlphaControl({ settings, onChange, autoAlpha, onAlphaCommit, canRerender, lineArtControl }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const shown = settings.alpha === 'auto' ? (autoAlpha ?? 0.8) : settings.alpha;
  const [draft, setDraft] = useState<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  const value = draft ?? shown;

  const move = (alpha: number) => {
    setDraft(alpha);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setDraft(null);
      onChange({ ...settings, alpha });
      if (canRerender) onAlphaCommit(alpha);
    }, COMMIT_DELAY_MS);
  };

  return (
    <div className="alpha" data-testid="alpha-control">
      <label className="field-label" htmlFor={`${id}-alpha`}>
        {t('variants:alpha.label')}{' '}
        <span className="alpha__value" data-testid="alpha-value">
          {alphaCaption(t, value, settings.alpha === 'auto' && draft === null)}
        </span>
      </label>
      <div className="alpha__track">
        <span className="alpha__end">{t('variants:alpha.sketch')}</span>
        <div className="alpha__slider">
          <input
            id={`${id}-alpha`}
            type="range"
            min={0}
            max={100}
            step={1}
            // Left is "follow the sketch" (alpha 1), right "follow the text" (alpha 0).
            value={Math.round((1 - value) * 100)}
            data-testid="alpha-slider"
            aria-valuetext={t('variants:alpha.value', { alpha: value.toFixed(2) })}
            onChange={(e) => move(1 - Number(e.target.value) / 100)}
          />
          {autoAlpha !== null && (
            <span
              className="alpha__auto"
              style={{ left: `${(1 - autoAlpha) * 100}%` }}
              title={t('variants:alpha.autoMark', { alpha: autoAlpha.toFixed(2) })}
              data-testid="alpha-auto-mark"
            />
          )}
        </div>
        <span className="alpha__end">{t('variants:alpha.text')}</span>
      </div>
      <div className="alpha__row">
        <button
          type="button"
          className="button button--small"
          disabled={settings.alpha === 'auto'}
          data-testid="alpha-auto"
          onClick={() => onChange({ ...settings, alpha: 'auto' })}
        >
          {autoAlpha !== null ? t('variants:withNote', { value: t('variants:alpha.useAuto'), note: autoAlpha.toFixed(2) }) : t('variants:alpha.useAuto')}
        </button>
      </div>
      <details className="advanced" data-testid="advanced">
        <summary>{t('variants:advanced.title')}</summary>
        <div className="advanced__grid">
          <label className="compare__check">
            <input
              type="checkbox"
              checked={settings.seedLocked}
              data-testid="seed-lock"
              onChange={(e) => onChange({ ...settings, seedLocked: e.target.checked, seed: settings.seed ?? newSeed() })}
            />
            {t('variants:advanced.lockSeed')}
          </label>
          <span className="advanced__seed">
            <input
              className="text-input"
              type="number"
              min={0}
              max={2 ** 32 - 1}
              value={settings.seed ?? ''}
              placeholder={t('variants:advanced.randomSeed')}
              aria-label={t('variants:advanced.seed')}
              data-testid="seed-input"
              onChange={(e) => onChange({ ...settings, seed: e.target.value === '' ? null : Math.max(0, Math.floor(Number(e.target.value))), seedLocked: e.target.value !== '' })}
            />
            <button type="button" className="button button--small" data-testid="seed-new" onClick={() => onChange({ ...settings, seed: newSeed(), seedLocked: true })}>
              {t('variants:advanced.newSeed')}
            </button>
          </span>
          <label className="field-label">
            {t('variants:advanced.steps')}
            <input
              className="text-input"
              type="number"
              min={1}
              max={200}
              value={settings.steps ?? ''}
              placeholder={t('variants:advanced.packDefault')}
              data-testid="steps-input"
              onChange={(e) => onChange({ ...settings, steps: e.target.value === '' ? null : Math.min(200, Math.max(1, Math.floor(Number(e.target.value)))) })}
            />
          </label>
          <label className="field-label">
            {t('variants:advanced.scheduler')}
            <select
              className="text-input"
              value={settings.scheduler ?? ''}
              data-testid="scheduler-select"
              onChange={(e) => onChange({ ...settings, scheduler: e.target.value === '' ? null : (e.target.value as RenderSettings['scheduler']) })}
            >
              <option value="">{t('variants:advanced.packDefault')}</option>
              {GARMENT_SCHEDULERS.map((s) => (
                <option key={s} value={s}>
                  {t(`variants:scheduler.${s}`)}
                </option>
              ))}
            </select>
          </label>
          {lineArtControl && (
            <LineArtStrength value={settings.controlScale} defaultScale={lineArtControl.defaultScale} onChange={(controlScale) => onChange({ ...settings, controlScale })} />
          )}
        </div>
      </details>
    </div>
  );
}
