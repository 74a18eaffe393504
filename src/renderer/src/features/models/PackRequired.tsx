import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstalledPack } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { ModelIcon } from '../../lib/icons';
import './pack-required.css';

type PackKind = InstalledPack['kind'];

/**
 * How a panel deep inside the layout reaches the Models view: the shell provides it, so features need
 * not know about routing. Without a provider the prompt says where Models is instead of linking.
 */
export const OpenModelsContext = createContext<(() => void) | null>(null);

/** The prompt a feature shows when it needs a kind of pack that is not installed. */
export function PackRequired({ kind, className }: { kind: PackKind; className?: string }) {
  const { t } = useTranslation();
  const openModels = useContext(OpenModelsContext);
  return (
    <div className={`pack-required ${className ?? ''}`} role="note" data-testid="pack-required" data-kind={kind}>
      <span className="pack-required__icon" aria-hidden="true">
        <ModelIcon />
      </span>
      <span className="pack-required__text">{t('models:required.body', { pack: t(`models:kindPack.${kind}`) })}</span>
      {openModels ? (
        <button type="button" className="pack-required__link" data-testid="pack-required-open" onClick={openModels}>
          {t('models:required.open')}
        </button>
      ) : (
        <span className="pack-required__where">{t('models:required.where')}</span>
      )}
    </div>
  );
}

export type PackAvailability = { status: 'loading' } | { status: 'missing' } | { status: 'ready'; pack: InstalledPack } | { status: 'error'; message: string };

/** The pack a feature would use for a kind: the default, else the first installed one, as the engines choose. */
export function usePackOfKind(kind: PackKind): PackAvailability & { recheck(): void } {
  const { client } = useStudioApi();
  const [state, setState] = useState<PackAvailability>({ status: 'loading' });
  const [round, setRound] = useState(0);
  const recheck = useCallback(() => setRound((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    client.models
      .list({})
      .then((packs) => {
        const ofKind = packs.filter((p) => p.kind === kind);
        const pack = ofKind.find((p) => p.isDefault) ?? ofKind[0];
        if (live) setState(pack ? { status: 'ready', pack } : { status: 'missing' });
      })
      .catch((err: unknown) => {
        if (live) setState({ status: 'error', message: err instanceof Error ? err.message : String(err) });
      });
    return () => {
      live = false;
    };
  }, [client, kind, round]);

  return { ...state, recheck };
}

/** Shows its children only when a pack of the kind is installed, and the PackRequired prompt otherwise. */
export function RequirePack({ kind, children, className }: { kind: PackKind; children: ReactNode; className?: string }) {
  const availability = usePackOfKind(kind);
  if (availability.status === 'loading') return null;
  if (availability.status === 'missing') return <PackRequired kind={kind} className={className} />;
  return <>{children}</>;
}
