import { useTranslation } from 'react-i18next';
import { ExtractionView } from './ExtractionView';
import { PromptFields } from './PromptFields';
import type { PromptEditing, PromptState } from './usePromptEditing';
import type { Reading } from './usePromptReading';
import './prompt.css';

interface Props {
  prompt: PromptState;
  editing: PromptEditing;
  reading: Reading;
  hasProject: boolean;
}

/**
 * The prompt as fields (garment, colour, fabric, fit, details), what the studio reads from it, and
 * where the text and the flat disagree: below Generate, for when the chips do not say enough.
 */
export function PromptDetails({ prompt, editing, reading, hasProject }: Props) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language === 'zh';
  return (
    <div className="prompt prompt--details" data-testid="prompt-details-panel">
      <PromptFields text={prompt.text} values={editing.shown} onField={editing.changeField} onText={editing.setText} />
      {reading.status === 'error' && (
        <p className="form-error" role="alert">
          {t('prompt:failed')} {reading.error}
        </p>
      )}
      <ExtractionView reading={reading} hasProject={hasProject} />
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
    </div>
  );
}
