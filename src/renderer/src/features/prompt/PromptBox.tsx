import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { AttributeChips } from './AttributeChips';
import type { PromptEditing, PromptState } from './usePromptEditing';
import type { Reading } from './usePromptReading';
import './prompt.css';

interface Props {
  prompt: PromptState;
  editing: PromptEditing;
  reading: Reading;
}

/** What the technician writes, right above Generate, with the attributes read from it as chips to correct. */
export function PromptBox({ prompt, editing, reading }: Props) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="prompt prompt--box" data-testid="prompt-box" data-reading={reading.status}>
      <label className="prompt__label" htmlFor={`${id}-text`}>
        {t('prompt:label')}
        {reading.status === 'reading' && <span className="prompt__status" data-testid="prompt-reading">{t('prompt:reading')}</span>}
      </label>
      <textarea
        id={`${id}-text`}
        className="text-input prompt__text"
        data-testid="prompt-text"
        rows={3}
        maxLength={4000}
        value={prompt.text}
        placeholder={t('prompt:placeholder')}
        onChange={(e) => editing.setText(e.target.value)}
      />
      <AttributeChips extracted={editing.extracted} overrides={prompt.overrides} onCorrect={editing.correct} onReset={editing.reset} />
    </div>
  );
}
