import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Point } from '../../../../shared/flat';

/** The text field the text and callout tools open where the technician clicked. */
export function TextAsk({ at, onDone }: { at: Point; onDone(text: string): void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  return (
    <form
      className="ed-ask"
      style={{ left: at.x + 52, top: at.y + 40 }}
      onSubmit={(e) => {
        e.preventDefault();
        onDone(text);
      }}
    >
      <input autoFocus className="text-input" aria-label={t('editor:textAsk')} value={text} maxLength={2000} data-testid="text-input" onChange={(e) => setText(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && onDone('')} />
    </form>
  );
}
