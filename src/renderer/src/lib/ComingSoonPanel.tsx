import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import './coming-soon.css';

interface Props {
  /** The feature's region id: drives data-testid and the accessible name. */
  region: string;
  title: string;
  body: string;
  icon: ReactNode;
  className?: string;
}

/**
 * A real region of the studio's layout whose feature is not built yet: it says so plainly rather
 * than offering controls that do nothing.
 */
export function ComingSoonPanel({ region, title, body, icon, className }: Props) {
  const { t } = useTranslation();
  const headingId = `panel-${region}-title`;
  return (
    <section className={`panel ${className ?? ''}`} data-testid={`panel-${region}`} aria-labelledby={headingId}>
      <header className="panel__header">
        <h2 id={headingId} className="panel__title">
          {title}
        </h2>
      </header>
      <div className="panel__empty">
        <div className="panel__icon" aria-hidden="true">
          {icon}
        </div>
        <p className="panel__badge">{t('workspace.comingSoon')}</p>
        <p className="panel__body">{body}</p>
      </div>
    </section>
  );
}
