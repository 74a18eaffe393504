import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KNOWN_CM, type FlatCommandInput, type FlatDocument, type FlatView, type MeasuredLine } from '../../../../shared/flat';
import { pomWithCode } from '../../lib/i18n-names';
import { calibrationFor, calibrationSources, type CalibrationSource } from './model/calibration';
import { ViewThumb } from './ViewThumb';

interface Props {
  doc: FlatDocument;
  view: FlatView;
  /** Two points clicked on the flat for this calibration, offered first. */
  picked: MeasuredLine | null;
  /** Closes the form while the technician clicks two points on the flat; it opens again after. */
  onPickPoints(): void;
  /** Runs the command; false when the flat refused it. */
  onApply(command: FlatCommandInput): boolean;
  onCancel(): void;
  /** Why the flat refused the last edit, shown once an apply here was refused. */
  refusal: string | null;
}

/**
 * Calibrating: the technician picks something on the drawing (the garment's body length or chest, a
 * point of measure, or two points clicked on the flat) and gives its real length.
 */
export function CalibrateForm({ doc, view, picked, onPickPoints, onApply, onCancel, refusal }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const sources = useMemo(() => calibrationSources(doc, view, picked), [doc, view, picked]);
  const [sourceId, setSourceId] = useState(sources[0]?.id ?? '');
  const source = sources.find((s) => s.id === sourceId) ?? sources[0];
  const [typed, setTyped] = useState(source ? String(source.nowCm) : '');
  const [refused, setRefused] = useState(false);
  const check = source ? calibrationFor(source, typed) : null;

  const label = (s: CalibrationSource) => {
    if (s.kind === 'pom') {
      // A POM drawn with the measure tool is named after its code ("Measurement P1"): the code once, not twice.
      const pom = pomWithCode(t, s.pom!);
      return t(pom.code === null ? 'editor:calibrate.pomDrawn' : 'editor:calibrate.pom', { code: pom.code, name: pom.name, cm: s.nowCm });
    }
    return s.kind === 'points' ? t('editor:calibrate.points', { cm: s.nowCm }) : t('editor:calibrate.measure', { what: t(`editor:measure.${s.kind}`), cm: s.nowCm });
  };

  return (
    <div className="ed-modal" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} data-testid="calibrate-form">
      <form
        className="ed-modal__box ed-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!check?.ok) return;
          if (onApply(check.command)) onCancel();
          else setRefused(true);
        }}
      >
        <h3 id={`${id}-title`}>{t('editor:calibrate.title')}</h3>
        {!source ? (
          <p className="ed-muted">{t('editor:calibrate.nothing')}</p>
        ) : (
          <>
            <div className="ed-form__thumbs">
              <ViewThumb doc={doc} view={view} line={source.line} label={t(`editor:view.${view.id}`)} />
            </div>
            <label className="ed-form__field">
              <span>{t('editor:calibrate.source')}</span>
              <select
                className="text-input"
                data-testid="calibrate-source"
                value={source.id}
                onChange={(e) => {
                  setSourceId(e.target.value);
                  const next = sources.find((s) => s.id === e.target.value);
                  if (next) setTyped(String(next.nowCm));
                }}
              >
                {sources.map((s) => (
                  <option key={s.id} value={s.id}>
                    {label(s)}
                  </option>
                ))}
              </select>
            </label>
            <label className="ed-form__field">
              <span>{t('editor:calibrate.real')}</span>
              <span className="ed-props__input">
                <input className="text-input ed-number" inputMode="decimal" data-testid="calibrate-cm" value={typed} onChange={(e) => setTyped(e.target.value)} aria-invalid={!check?.ok} />
                cm
              </span>
            </label>
            {check?.ok ? (
              <p className="ed-muted" data-testid="calibrate-effect">
                {t('editor:calibrate.effect', { factor: check.factor.toFixed(2) })}
              </p>
            ) : (
              check && (
                <p className="form-error" data-testid="calibrate-error">
                  {t(`editor:import.error.${check.error}`, { min: KNOWN_CM.min, max: KNOWN_CM.max })}
                </p>
              )
            )}
          </>
        )}
        {refused && refusal && (
          <p className="form-error" role="alert" data-testid="calibrate-refused">
            {t('editor:calibrate.refused', { message: refusal })}
          </p>
        )}
        <div className="ed-form__actions">
          <button type="button" className="button" data-testid="calibrate-pick" onClick={onPickPoints}>
            {t('editor:calibrate.pick')}
          </button>
          <button type="button" className="button button--ghost" data-testid="calibrate-cancel" onClick={onCancel}>
            {t('editor:cancel')}
          </button>
          <button type="submit" className="button button--primary" data-testid="calibrate-apply" disabled={!check?.ok}>
            {t('editor:calibrate.apply')}
          </button>
        </div>
      </form>
    </div>
  );
}
