import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  FIELD_VALUES,
  STRUCTURED_FIELDS,
  valueName,
  type Overrides,
  type StructuredField,
  type StructuredValues,
} from './sync';

interface Props {
  /** What the text says, field by field. */
  extracted: StructuredValues;
  overrides: Overrides;
  onCorrect(field: StructuredField, value: string | null): void;
  onReset(field: StructuredField): void;
}

/**
 * The extracted attributes as chips. Clicking one opens a picker to choose another value or remove it;
 * a correction is marked on its chip and can be reset to what the text said before.
 */
export function AttributeChips({ extracted, overrides, onCorrect, onReset }: Props) {
  const { t, i18n } = useTranslation();
  const ui = i18n.language === 'zh' ? 'zh' : 'en';
  const [open, setOpen] = useState<StructuredField | null>(null);
  const fields = STRUCTURED_FIELDS.filter((f) => extracted[f] !== null || overrides[f]);
  if (fields.length === 0) return null;

  return (
    <div className="prompt__chips" data-testid="prompt-chips">
      {fields.map((field) => {
        const override = overrides[field];
        const value = override ? override.to : extracted[field];
        const label = value ? valueName(field, value)[ui] : t('prompt:removed');
        return (
          <span key={field} className={override ? 'prompt__chip prompt__chip--corrected' : 'prompt__chip'} data-field={field}>
            <button
              type="button"
              className="prompt__chip-button"
              data-testid={`prompt-chip-${field}`}
              aria-expanded={open === field}
              title={override ? t('prompt:correctedFrom', { value: override.from ? valueName(field, override.from)[ui] : t('prompt:unset') }) : t('prompt:correct')}
              onClick={() => setOpen(open === field ? null : field)}
            >
              <span className="prompt__chip-field">{t(`prompt:fields.${field}`)}</span> {label}
            </button>
            {override && (
              <button
                type="button"
                className="prompt__chip-reset"
                data-testid={`prompt-chip-reset-${field}`}
                aria-label={t('prompt:reset')}
                title={t('prompt:reset')}
                onClick={() => {
                  setOpen(null);
                  onReset(field);
                }}
              >
                ↺
              </button>
            )}
            {open === field && (
              <span className="prompt__chip-editor" data-testid={`prompt-chip-editor-${field}`}>
                <select
                  className="text-input prompt__select"
                  data-testid={`prompt-chip-select-${field}`}
                  aria-label={t(`prompt:fields.${field}`)}
                  value={value ?? ''}
                  onChange={(e) => {
                    setOpen(null);
                    onCorrect(field, e.target.value === '' ? null : e.target.value);
                  }}
                >
                  <option value="">{t('prompt:unset')}</option>
                  {FIELD_VALUES[field].map((v) => (
                    <option key={v} value={v}>
                      {valueName(field, v)[ui]}
                    </option>
                  ))}
                </select>
                <button
                  type="button"
                  className="button"
                  data-testid={`prompt-chip-remove-${field}`}
                  onClick={() => {
                    setOpen(null);
                    onCorrect(field, null);
                  }}
                >
                  {t('prompt:remove')}
                </button>
              </span>
            )}
          </span>
        );
      })}
    </div>
  );
}
