import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  FIELD_VALUES,
  STRUCTURED_FIELDS,
  detailsOf,
  valueName,
  withDetails,
  type PromptLanguage,
  type StructuredField,
  type StructuredValues,
} from './sync';

interface Props {
  text: string;
  /** The fields as shown: the extraction with the technician's corrections on top. */
  values: StructuredValues;
  onField(field: StructuredField, value: string | null): void;
  onText(text: string): void;
}

/**
 * Garment, colour, fabric and fit as pickers of the lexicon's canonical values, and the details as free
 * text. Each picker rewrites its words in the prompt; the prompt, typed, moves the pickers.
 */
export function PromptFields({ text, values, onField, onText }: Props) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const ui: PromptLanguage = i18n.language === 'zh' ? 'zh' : 'en';
  // While the technician types in details, show what they type: the derived details are trimmed, and a
  // trailing space or comma must survive the keystroke that made it.
  const [draft, setDraft] = useState<string | null>(null);
  const details = draft ?? detailsOf(text);

  return (
    <fieldset className="prompt__form" data-testid="prompt-fields">
      <legend className="prompt__subtitle">{t('prompt:structured')}</legend>
      {STRUCTURED_FIELDS.map((field) => (
        <div key={field} className="prompt__form-row">
          <label htmlFor={`${id}-${field}`}>{t(`prompt:fields.${field}`)}</label>
          <select
            id={`${id}-${field}`}
            className="text-input prompt__select"
            data-testid={`prompt-field-${field}`}
            value={values[field] ?? ''}
            onChange={(e) => onField(field, e.target.value === '' ? null : e.target.value)}
          >
            <option value="">{t('prompt:unset')}</option>
            {FIELD_VALUES[field].map((value) => (
              <option key={value} value={value}>
                {valueName(field, value)[ui]}
              </option>
            ))}
          </select>
        </div>
      ))}
      <div className="prompt__form-row">
        <label htmlFor={`${id}-details`}>{t('prompt:fields.details')}</label>
        {/* It grows with what is typed: the details are the longest part of a prompt, and a box that scrolls them hides most. */}
        <textarea
          id={`${id}-details`}
          className="text-input prompt__details"
          rows={1}
          data-testid="prompt-details"
          value={details}
          placeholder={t('prompt:detailsPlaceholder')}
          onFocus={() => setDraft(detailsOf(text))}
          onBlur={() => setDraft(null)}
          onChange={(e) => {
            setDraft(e.target.value);
            onText(withDetails(text, e.target.value, ui));
          }}
        />
      </div>
    </fieldset>
  );
}
