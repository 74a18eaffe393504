import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstalledPack } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';
import { useMotifJob } from '../motifs/useMotifJob';
import type { InstallOffer as Offer } from './useRecipes';

interface Props {
  offer: Offer;
  /** The installed pack, once the list has it (for its name and whether it is already the default). */
  pack: InstalledPack | null;
  onSetDefault(id: string): Promise<unknown>;
  onDismiss(jobId: string): void;
}

/**
 * What a freshly assembled pack offers next, one click each: to become the default of its kind, and
 * for a motif pack to re-index the motif library, whose vectors belong to the pack that made them.
 */
export function InstallOffer({ offer, pack, onSetDefault, onDismiss }: Props) {
  const { t } = useTranslation();
  const { client } = useStudioApi();
  const { packId, kind } = offer.result;
  const [defaulting, setDefaulting] = useState<'idle' | 'busy' | 'done'>('idle');
  const [error, setError] = useState<string | null>(null);
  const start = useCallback(() => client.motifs.reindex({ packId }), [client, packId]);
  const reindex = useMotifJob(start);
  const isDefault = defaulting === 'done' || pack?.isDefault === true;
  const name = pack?.name ?? packId;

  async function makeDefault() {
    setDefaulting('busy');
    setError(null);
    try {
      await onSetDefault(packId);
      setDefaulting('done');
    } catch (err) {
      setError(errorMessage(err));
      setDefaulting('idle');
    }
  }

  return (
    <li className="install-offer" data-testid="install-offer" data-pack-id={packId} data-kind={kind}>
      <p className="install-offer__lead" role="status">
        {t('models:offer.installed', { name, kind: t(`models:kindPack.${kind}`) })}
      </p>
      <div className="install-offer__actions">
        {offer.result.offerDefault &&
          (isDefault ? (
            <span className="pack-note pack-note--ok" data-testid="offer-default-done">
              {t('models:offer.isDefault', { kind: t(`models:kindPack.${kind}`) })}
            </span>
          ) : (
            <button type="button" className="button button--primary" data-testid="offer-default" disabled={defaulting === 'busy'} onClick={() => void makeDefault()}>
              {t('models:offer.makeDefault', { kind: t(`models:kindPack.${kind}`) })}
            </button>
          ))}
        {offer.result.offerReindex && reindex.state.status !== 'done' && (
          <button
            type="button"
            className="button"
            data-testid="offer-reindex"
            disabled={reindex.state.status === 'running'}
            onClick={() => void reindex.run()}
          >
            {reindex.state.status === 'running' ? t('models:offer.reindexing') : t('models:offer.reindex')}
          </button>
        )}
        {reindex.state.status === 'running' && <progress max={1} value={reindex.state.progress?.fraction ?? undefined} aria-label={t('models:offer.reindexing')} />}
        {reindex.state.status === 'done' && (
          <span className="pack-note pack-note--ok" data-testid="offer-reindex-done">
            {t('models:offer.reindexed')}
          </span>
        )}
        <button type="button" className="button" data-testid="offer-dismiss" onClick={() => onDismiss(offer.jobId)}>
          {t('models:offer.dismiss')}
        </button>
      </div>
      {offer.result.offerReindex && reindex.state.status === 'idle' && <p className="pack-note">{t('models:offer.reindexWhy')}</p>}
      {reindex.state.status === 'failed' && (
        <p className="form-error" role="alert" data-testid="offer-reindex-error">
          {reindex.state.message}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="offer-error">
          <strong>{t('models:setDefault.failed')}</strong> {error}
        </p>
      )}
    </li>
  );
}
