import { useId, useMemo, useState } from 'react';
import { extractPrompt } from '../../../../shared/fabric';
import { AttributeChips } from './AttributeChips';
import { ExtractionView } from './ExtractionView';
import { PromptFields } from './PromptFields';
import { effectiveValues, setField, structuredValues, type Overrides, type StructuredField } from './sync';
import { useTranslation } from 'react-i18next';
import { usePromptReading, type FlatAttributes } from './usePromptReading';
import './prompt.css';

interface Props {
  className?: string;
  /** The open project. */
  projectId: string;
  /** The flat's attributes (the flat document's `attributes`), to list sketch/text conflicts. */
  flat?: FlatAttributes;
  /** The prompt, when the workspace holds it (Generate reads it; "reuse these settings" writes it). */
  text?: string;
  onTextChange?(text: string): void;
}

/**
 * The prompt: what the technician writes, what the studio reads from it (fabric, colours, garment
 * attributes, in canonical terms), which swatch conditions the render, and where text and flat disagree.
 */
export function PromptPanel({ className, projectId, flat, text: heldText, onTextChange }: Props) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [ownText, setOwnText] = useState('');
  const text = heldText ?? ownText;
  const setText = (value: string) => (onTextChange ? onTextChange(value) : setOwnText(value));
  const reading = usePromptReading(text, projectId, flat);
  const zh = i18n.language === 'zh';
  const ui = zh ? 'zh' : 'en';
  // The fields follow the text at once: the extractor is pure TS, so the renderer reads it without a round trip.
  const extracted = useMemo(() => structuredValues(extractPrompt(text)), [text]);
  const [overrides, setOverrides] = useState<Overrides>({});
  const shown = effectiveValues(extracted, overrides);
  const changeField = (field: StructuredField, value: string | null) => setText(setField(text, field, value, ui));
  const correct = (field: StructuredField, value: string | null) => {
    // The first correction remembers what the text said, so a reset can put it back.
    setOverrides((o) => ({ ...o, [field]: { from: o[field]?.from ?? extracted[field], to: value } }));
    changeField(field, value);
  };
  const reset = (field: StructuredField) => {
    const override = overrides[field];
    setOverrides((o) => {
      const { [field]: _dropped, ...rest } = o;
      return rest;
    });
    if (override) changeField(field, override.from);
  };

  return (
    <section className={`panel prompt ${className ?? ''}`} data-testid="panel-prompt" aria-labelledby={`${id}-title`}>
      <header className="panel__header">
        <h2 id={`${id}-title`} className="panel__title">
          {t('prompt:title')}
        </h2>
        {reading.status === 'reading' && <span className="prompt__status">{t('prompt:reading')}</span>}
      </header>
      <label className="field-label" htmlFor={`${id}-text`}>
        {t('prompt:label')}
      </label>
      <textarea
        id={`${id}-text`}
        className="text-input prompt__text"
        data-testid="prompt-text"
        rows={4}
        maxLength={4000}
        value={text}
        placeholder={t('prompt:placeholder')}
        onChange={(e) => setText(e.target.value)}
      />
      <AttributeChips extracted={extracted} overrides={overrides} onCorrect={correct} onReset={reset} />
      <PromptFields text={text} values={shown} onField={changeField} onText={setText} />
      {reading.status === 'error' && (
        <p className="form-error" role="alert">
          {t('prompt:failed')} {reading.error}
        </p>
      )}
      <ExtractionView reading={reading} hasProject={projectId !== null} />
      {reading.conflicts && (
        <div className="prompt__conflicts" data-testid="prompt-conflicts">
          {reading.conflicts.length === 0 ? (
            <p className="prompt__agree">{t('prompt:noConflicts')}</p>
          ) : (
            <>
              <h3 className="prompt__subtitle">{t('prompt:conflicts')}</h3>
              <ul>
                {reading.conflicts.map((c) => (
                  <li key={c.field} data-field={c.field}>
                    {zh ? c.message.zh : c.message.en}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
