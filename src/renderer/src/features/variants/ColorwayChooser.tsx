import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';

interface Props {
  projectId: string;
  generationId: string;
  /** After the choice is saved (the history shows the colorway). */
  onChosen?(colorwayName: string): void;
}

const NEW = '__new__';

/** Chooses a render as the picture of a tech-pack colorway (an existing one or a new one). */
export function ColorwayChooser({ projectId, generationId, onChosen }: Props) {
  const { t } = useTranslation();
  const { client } = useStudioApi();
  const [open, setOpen] = useState(false);
  const [colorways, setColorways] = useState<{ id: string; name: string }[]>([]);
  const [choice, setChoice] = useState(NEW);
  const [name, setName] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const start = async () => {
    setMessage(null);
    try {
      const tp = await client.techpack.get({ projectId });
      setColorways(tp.document.colorways.map((c) => ({ id: c.id, name: c.name })));
      setChoice(tp.document.colorways[0]?.id ?? NEW);
      setOpen(true);
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    }
  };
  const save = async () => {
    try {
      const done = await client.generations.markForColorway({
        id: generationId,
        ...(choice === NEW ? (name.trim() ? { colorwayName: name.trim() } : {}) : { colorwayId: choice }),
      });
      setOpen(false);
      setMessage({ ok: true, text: t('variants:colorway.chosen', { name: done.colorwayName }) });
      onChosen?.(done.colorwayName);
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    }
  };

  return (
    <span className="colorway-chooser">
      {!open ? (
        <button type="button" className="button button--small" data-testid="choose-colorway" onClick={() => void start()}>
          {t('variants:colorway.choose')}
        </button>
      ) : (
        <span className="colorway-chooser__form">
          <select className="text-input" value={choice} aria-label={t('variants:colorway.which')} data-testid="colorway-select" onChange={(e) => setChoice(e.target.value)}>
            {colorways.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
            <option value={NEW}>{t('variants:colorway.new')}</option>
          </select>
          {choice === NEW && (
            <input
              className="text-input"
              value={name}
              maxLength={120}
              placeholder={t('variants:colorway.namePlaceholder')}
              data-testid="colorway-name"
              onChange={(e) => setName(e.target.value)}
            />
          )}
          <button type="button" className="button button--primary button--small" data-testid="colorway-save" onClick={() => void save()}>
            {t('variants:colorway.save')}
          </button>
          <button type="button" className="button button--small" onClick={() => setOpen(false)}>
            {t('variants:colorway.cancel')}
          </button>
        </span>
      )}
      {message && (
        <span className={message.ok ? 'colorway-chooser__ok' : 'form-error'} role={message.ok ? 'status' : 'alert'} data-testid="colorway-message">
          {message.text}
        </span>
      )}
    </span>
  );
}
