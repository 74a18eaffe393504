import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { InstalledPack, VerifyResult } from '../../../../shared/contract';
import { errorMessage } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import { formatBytes } from './download-meter';
import { ProblemList } from './ProblemList';
import { VERBATIM } from './verbatim';

interface Props {
  pack: InstalledPack;
  onVerify(id: string): Promise<VerifyResult>;
  onRemove(id: string): Promise<unknown>;
  onSetDefault(id: string): Promise<unknown>;
}

type Outcome = { kind: 'verified'; result: VerifyResult } | { kind: 'error'; lead: string; message: string };

/** One installed pack: what it is, whether its files are intact, and what may be done with it. */
export function InstalledPackRow({ pack, onVerify, onRemove, onSetDefault }: Props) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState<'verify' | 'remove' | 'default' | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const { verification } = pack;

  async function run(what: NonNullable<typeof busy>, action: () => Promise<Outcome | null>, lead: string) {
    setBusy(what);
    setOutcome(null);
    try {
      setOutcome(await action());
    } catch (err) {
      setOutcome({ kind: 'error', lead, message: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  }

  const verify = () => run('verify', async () => ({ kind: 'verified', result: await onVerify(pack.id) }), t('models:verify.failed'));
  const remove = () =>
    run(
      'remove',
      async () => {
        setConfirming(false);
        await onRemove(pack.id);
        return null;
      },
      t('models:remove.failed'),
    );
  const makeDefault = () =>
    run(
      'default',
      async () => {
        await onSetDefault(pack.id);
        return null;
      },
      t('models:setDefault.failed'),
    );

  // A pack that ships with the app came checked with it: until Verify says otherwise it is not "unverified".
  const shownStatus = pack.source === 'bundled' && verification.status === 'unverified' ? 'bundled' : verification.status;
  // A fresh verify result speaks for itself; otherwise the list's record of problems is shown.
  const standingProblems = outcome?.kind !== 'verified' && verification.status === 'invalid' ? verification.problems : [];

  return (
    <li
      className="pack-row"
      data-testid="installed-pack"
      data-pack-id={pack.id}
      data-status={verification.status}
      data-default={pack.isDefault ? 'true' : 'false'}
      data-path={pack.path}
    >
      <div className="pack-row__head">
        <span className={`pack-kind pack-kind--${pack.kind}`}>{t(`models:kind.${pack.kind}`)}</span>
        <span className="pack-row__name" data-testid="pack-name" translate="no">
          {pack.name}
        </span>
        <span className="pack-row__id">{pack.id}</span>
        {pack.isDefault && (
          <span className="pack-badge pack-badge--default" data-testid="pack-default-badge">
            {t('models:default')}
          </span>
        )}
        <span
          className={`pack-status pack-status--${shownStatus}`}
          data-testid="pack-status"
          data-shown={shownStatus}
          title={shownStatus === 'bundled' ? t('models:status.bundledHint') : verification.status === 'unverified' ? t('models:status.unverifiedHint') : undefined}
        >
          {t(`models:status.${shownStatus}`)}
        </span>
        <div className="pack-row__actions" role="group" aria-label={t('models:action.actions', { name: pack.name })}>
          <button type="button" className="button" data-testid="pack-verify" disabled={busy !== null} onClick={() => void verify()}>
            {busy === 'verify' ? t('models:action.verifying') : t('models:action.verify')}
          </button>
          {!pack.isDefault && (
            <button type="button" className="button" data-testid="pack-set-default" disabled={busy !== null} onClick={() => void makeDefault()}>
              {t('models:action.setDefault')}
            </button>
          )}
          {pack.source === 'library' && !confirming && (
            <button
              type="button"
              className="button button--quiet-danger"
              data-testid="pack-remove"
              disabled={busy !== null}
              onClick={() => {
                setOutcome(null);
                setConfirming(true);
              }}
            >
              {t('models:action.remove')}
            </button>
          )}
        </div>
      </div>

      <dl className="pack-row__facts">
        <div>
          <dt>{t('models:field.version')}</dt>
          <dd data-testid="pack-version">{pack.version}</dd>
        </div>
        <div>
          <dt>{t('models:field.size')}</dt>
          <dd data-testid="pack-size">{formatBytes(pack.sizeBytes, i18n.language)}</dd>
        </div>
        <div>
          <dt>{t('models:field.licence')}</dt>
          {/* The publisher's own licence text, as the manifest gives it. */}
          <dd translate="no">{pack.licence}</dd>
        </div>
        <div>
          <dt>{t('models:field.providers')}</dt>
          <dd>{pack.providers?.length ? pack.providers.join(', ') : t('models:providersAny')}</dd>
        </div>
        <div>
          <dt>{t('models:field.usedBy')}</dt>
          <dd data-testid="pack-features">{pack.features.map((f) => t(`models:feature.${f}`)).join(', ')}</dd>
        </div>
        <div>
          <dt>{t('models:field.source')}</dt>
          <dd title={pack.path}>{t(`models:source.${pack.source}`)}</dd>
        </div>
        {verification.checkedAt && (
          <div>
            <dt>{t('models:field.checked')}</dt>
            <dd data-testid="pack-checked-at">{formatTime(verification.checkedAt, i18n.language)}</dd>
          </div>
        )}
        {pack.inUse > 0 && (
          <div>
            <dt>{t('models:field.inUse')}</dt>
            <dd data-testid="pack-in-use">{t('models:inUse', { count: pack.inUse })}</dd>
          </div>
        )}
      </dl>
      {/* The bundled garment pack is a small demonstration: say so plainly, at its size, and what a real pack brings. */}
      {pack.source === 'bundled' && pack.kind === 'garment' && (
        <p className="pack-note pack-note--demo" data-testid="pack-demo-note">
          <Trans i18nKey="models:demo.garment" values={{ size: pack.imageWidth ?? 64 }} components={VERBATIM} />
        </p>
      )}

      {confirming && (
        <div className="pack-row__confirm" data-testid="pack-remove-confirmation">
          <span className="pack-row__confirm-text">{t('models:remove.confirm', { name: pack.name })}</span>
          <button type="button" className="button button--danger" data-testid="pack-remove-confirm" disabled={busy !== null} onClick={() => void remove()}>
            {t('models:remove.confirmButton')}
          </button>
          <button type="button" className="button" data-testid="pack-remove-cancel" onClick={() => setConfirming(false)}>
            {t('models:remove.cancel')}
          </button>
        </div>
      )}

      {outcome?.kind === 'verified' &&
        (outcome.result.ok ? (
          <p className="pack-note pack-note--ok" role="status" data-testid="pack-verify-result" data-ok="true">
            {t('models:verify.ok')}
          </p>
        ) : (
          <div className="pack-note pack-note--bad" role="alert" data-testid="pack-verify-result" data-ok="false">
            <strong>{t('models:verify.bad')}</strong>
            <ProblemList problems={outcome.result.problems} />
          </div>
        ))}
      {standingProblems.length > 0 && (
        <div className="pack-note pack-note--bad" data-testid="pack-standing-problems">
          <ProblemList problems={standingProblems} />
        </div>
      )}
      {outcome?.kind === 'error' && (
        <p className="form-error pack-row__error" role="alert" data-testid="pack-error">
          <strong>{outcome.lead}</strong> {outcome.message}
        </p>
      )}
    </li>
  );
}
