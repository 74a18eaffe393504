import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SourceLicence } from '../../../../shared/contract';

interface Props {
  /** What is being installed, for the title. */
  name: string;
  licences: readonly SourceLicence[];
  onAccept(ids: string[]): void;
  onClose(): void;
}

/**
 * The licences a download needs the technician's agreement to (OpenRAIL's use restrictions): each is
 * named with its text a click away and must be ticked on its own before Install starts anything.
 */
export function LicenceDialog({ name, licences, onAccept, onClose }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const first = useRef<HTMLInputElement>(null);
  const all = licences.every((l) => ticked.has(l.id));

  useEffect(() => {
    first.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const toggle = (licence: string, on: boolean) =>
    setTicked((s) => {
      const next = new Set(s);
      if (on) next.add(licence);
      else next.delete(licence);
      return next;
    });

  return (
    <div className="models-modal" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} data-testid="licence-dialog">
      <form
        className="models-modal__box"
        onSubmit={(e) => {
          e.preventDefault();
          if (all) onAccept(licences.map((l) => l.id));
        }}
      >
        <h3 id={`${id}-title`} className="models-modal__title">
          {t('models:licence.title', { name })}
        </h3>
        <p className="models-modal__text">{t('models:licence.body')}</p>
        <ul className="licence-list">
          {licences.map((licence, i) => (
            <li key={licence.id} className="licence-list__item" data-testid="licence-item" data-licence-id={licence.id}>
              <span className="licence-list__name" data-testid="licence-name">
                {licence.name}
              </span>
              {licence.url && (
                <a className="licence-list__link" href={licence.url} target="_blank" rel="noreferrer noopener" data-testid="licence-link">
                  {t('models:licence.read')}
                </a>
              )}
              <label className="licence-list__accept">
                <input
                  ref={i === 0 ? first : undefined}
                  type="checkbox"
                  data-testid="licence-accept"
                  checked={ticked.has(licence.id)}
                  onChange={(e) => toggle(licence.id, e.target.checked)}
                />
                {t('models:licence.accept', { licence: licence.name })}
              </label>
            </li>
          ))}
        </ul>
        <div className="models-modal__actions">
          <button type="button" className="button" data-testid="licence-cancel" onClick={onClose}>
            {t('models:licence.cancel')}
          </button>
          <button type="submit" className="button button--primary" data-testid="licence-install" disabled={!all}>
            {t('models:licence.install')}
          </button>
        </div>
      </form>
    </div>
  );
}
