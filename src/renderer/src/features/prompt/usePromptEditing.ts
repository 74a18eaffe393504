import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { extractPrompt } from '../../../../shared/fabric';
import { effectiveValues, setField, structuredValues, type Overrides, type StructuredField, type StructuredValues } from './sync';

/** The prompt as the project keeps it: the text the generator reads, and the technician's corrections of its fields. */
export interface PromptState {
  text: string;
  overrides: Overrides;
}

export const EMPTY_PROMPT: PromptState = { text: '', overrides: {} };

export interface PromptEditing {
  /** What the text says, field by field. */
  extracted: StructuredValues;
  /** The fields as shown: corrections on top of the text. */
  shown: StructuredValues;
  setText(text: string): void;
  changeField(field: StructuredField, value: string | null): void;
  correct(field: StructuredField, value: string | null): void;
  reset(field: StructuredField): void;
}

/**
 * Editing the prompt through its text, its fields and its chips, all writing one PromptState, so the
 * box beside Generate and the fields further down stay one prompt.
 */
export function usePromptEditing(prompt: PromptState, onChange: (next: PromptState) => void): PromptEditing {
  const { i18n } = useTranslation();
  const ui = i18n.language === 'zh' ? 'zh' : 'en';
  const { text, overrides } = prompt;
  // The fields follow the text at once: the extractor is pure TS, so the renderer reads it without a round trip.
  const extracted = useMemo(() => structuredValues(extractPrompt(text)), [text]);
  const setText = (value: string) => onChange({ text: value, overrides });
  const changeField = (field: StructuredField, value: string | null) => onChange({ text: setField(text, field, value, ui), overrides });
  return {
    extracted,
    shown: effectiveValues(extracted, overrides),
    setText,
    changeField,
    // The first correction remembers what the text said, so a reset can put it back.
    correct: (field, value) =>
      onChange({ text: setField(text, field, value, ui), overrides: { ...overrides, [field]: { from: overrides[field]?.from ?? extracted[field], to: value } } }),
    reset: (field) => {
      const override = overrides[field];
      const { [field]: _dropped, ...rest } = overrides;
      onChange({ text: override ? setField(text, field, override.from, ui) : text, overrides: rest });
    },
  };
}
