import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KNOWN_CM, type FlatDocument, type ViewMode } from '../../../../shared/flat';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';
import {
  checkKnown,
  foundKey,
  guessCategory,
  importWith,
  prefill,
  previewImport,
  scaleChoices,
  type ImportChoices,
  type KindReference,
  type ScaleChoice,
} from './model/import-form';
import { ViewThumb } from './ViewThumb';

interface Props {
  /** The file's name without .svg: the flat's name. */
  name: string;
  text: string;
  onImport(doc: FlatDocument): void;
  onCancel(): void;
}

/**
 * Import asks what the drawing cannot say: the garment's real size (one known length, prefilled from
 * the kind's template) and, shown on a preview, how front and back were told apart, which the
 * technician may overrule.
 */
export function ImportFlatForm({ name, text, onImport, onCancel }: Props) {
  const { t } = useTranslation();
  const { client } = useStudioApi();
  const id = useId();
  const [kinds, setKinds] = useState<KindReference[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [choices, setChoices] = useState<ImportChoices>({ views: 'auto', category: 'other', scale: 'bodyLength', cm: '' });
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    client.flats.templates({}).then(
      (list) => {
        const refs = list.map((tpl) => ({ category: tpl.category, name: tpl.name, reference: tpl.reference }));
        setKinds(refs);
        const category = guessCategory(name, refs.map((k) => k.category));
        setChoices((c) => ({ ...c, category, cm: prefill(refs, category, c.scale) }));
      },
      (err: unknown) => setLoadError(errorMessage(err)),
    );
  }, [client, name]);

  const found = useMemo(() => previewImport(text, name, { views: 'auto', scale: 'page' }), [text, name]);
  const preview = useMemo(() => previewImport(text, name, choices), [text, name, choices]);
  const check = checkKnown(choices, preview);

  const set = (patch: Partial<ImportChoices>) => {
    setFailure(null);
    setChoices((c) => {
      const next = { ...c, ...patch };
      if (!scaleChoices(next.category).includes(next.scale)) next.scale = 'bodyLength';
      // A new kind or measurement brings its template's value; what was typed for the old one no longer fits.
      if (patch.category !== undefined || patch.scale !== undefined) next.cm = prefill(kinds ?? [], next.category, next.scale);
      return next;
    });
  };

  const submit = () => {
    if (!preview.ok || !check.ok) return;
    try {
      onImport(importWith(text, name, choices, check.cm));
    } catch (err) {
      setFailure(errorMessage(err));
    }
  };

  const categories = [...(kinds ?? []).map((k) => k.category), 'other'];
  const viewModes: ViewMode[] = ['auto', 'one', 'split'];
  return (
    <div className="ed-modal" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} data-testid="import-form">
      <form
        className="ed-modal__box ed-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <h3 id={`${id}-title`}>{t('editor:import.title', { name })}</h3>
        {loadError && <p className="form-error">{loadError}</p>}
        {!preview.ok ? (
          <p className="form-error" role="alert" data-testid="import-error">
            {preview.message}
          </p>
        ) : (
          <>
            <p className="ed-form__found" data-testid="import-views-found">
              {found.ok ? t(foundKey(found.views)) : null}
            </p>
            <div className="ed-form__thumbs">
              {preview.doc.views.map((v, k) => (
                <ViewThumb key={v.id} doc={preview.doc} view={v} line={k === 0 ? preview.line : null} label={t(`editor:view.${v.id}`)} testId="import-view" />
              ))}
            </div>
            <label className="ed-form__field">
              <span>{t('editor:import.views')}</span>
              <select className="text-input" data-testid="import-views" value={choices.views} onChange={(e) => set({ views: e.target.value as ViewMode })}>
                {viewModes.map((m) => (
                  <option key={m} value={m}>
                    {t(`editor:import.viewMode.${m}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="ed-form__field">
              <span>{t('editor:import.kind')}</span>
              <select className="text-input" data-testid="import-kind" value={choices.category} onChange={(e) => set({ category: e.target.value })}>
                {categories.map((c) => (
                  <option key={c} value={c}>
                    {t(`editor:kind.${c}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="ed-form__field">
              <span>{t('editor:import.known')}</span>
              <select className="text-input" data-testid="import-measurement" value={choices.scale} onChange={(e) => set({ scale: e.target.value as ScaleChoice })}>
                {scaleChoices(choices.category).map((s) => (
                  <option key={s} value={s}>
                    {t(`editor:measure.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            {choices.scale !== 'page' && (
              <label className="ed-form__field">
                <span>{t('editor:import.cm', { what: t(`editor:measure.${choices.scale}`) })}</span>
                <span className="ed-props__input">
                  <input
                    className="text-input ed-number"
                    inputMode="decimal"
                    data-testid="import-cm"
                    value={choices.cm}
                    placeholder={t('editor:import.cmPlaceholder')}
                    onChange={(e) => set({ cm: e.target.value })}
                    aria-invalid={!check.ok}
                  />
                  cm
                </span>
              </label>
            )}
            <p className="ed-muted">{choices.scale === 'page' ? t('editor:import.pageHint') : t('editor:import.knownHint')}</p>
            {!check.ok && (
              <p className="form-error" data-testid="import-cm-error">
                {t(`editor:import.error.${check.error}`, { min: KNOWN_CM.min, max: KNOWN_CM.max })}
              </p>
            )}
            {failure && (
              <p className="form-error" role="alert" data-testid="import-error">
                {failure}
              </p>
            )}
          </>
        )}
        <div className="ed-form__actions">
          <button type="button" className="button button--ghost" data-testid="import-cancel" onClick={onCancel}>
            {t('editor:cancel')}
          </button>
          <button type="submit" className="button button--primary" data-testid="import-confirm" disabled={!preview.ok || !check.ok}>
            {t('editor:import.confirm')}
          </button>
        </div>
      </form>
    </div>
  );
}
