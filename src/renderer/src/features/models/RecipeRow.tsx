import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { Job, JobProgress, RecipeFile, SourceLicence } from '../../../../shared/contract';
import { AssemblyProgress } from './AssemblyProgress';
import { formatBytes } from './download-meter';
import { LicenceDialog } from './LicenceDialog';
import { acceptedBy, licencesToAccept, recipeRowState, recipeTotals, type RecipeItem } from './recipe-state';
import { useAction } from '../../lib/use-action';
import { PauseCancel } from './PauseCancel';
import { VERBATIM } from './verbatim';

interface Props {
  item: RecipeItem;
  /** The newest assembly job of this recipe. */
  job: Job | null;
  progress: Readonly<Record<string, JobProgress>>;
  paused: ReadonlySet<string>;
  onInstall(id: string, acceptLicences: string[]): Promise<unknown>;
  onPause(jobId: string): Promise<unknown>;
  onCancel(jobId: string): Promise<unknown>;
}

/**
 * One recipe of the catalogue: the public files it downloads (size, how each is verified, licence,
 * publisher), the download and the free disk it needs, and its install with progress, pause and cancel.
 */
export function RecipeRow({ item, job, progress, paused, onInstall, onPause, onCancel }: Props) {
  const { t, i18n } = useTranslation();
  const { busy, error, run } = useAction();
  const [asking, setAsking] = useState<SourceLicence[] | null>(null);
  // Accepted on this page; a resumed job also keeps what it was started with.
  const [accepted, setAccepted] = useState<readonly string[]>([]);
  const state = recipeRowState(item, job, paused);
  const totals = recipeTotals(item);
  const size = (n: number) => formatBytes(n, i18n.language);

  /** Install (or resume): the licences still to be accepted are asked for first; nothing starts before. */
  function install() {
    const known = new Set([...accepted, ...acceptedBy(job)]);
    const missing = licencesToAccept(item).filter((l) => !known.has(l.id));
    if (missing.length > 0) setAsking(missing);
    else void run(() => onInstall(item.id, [...known]));
  }

  function acceptAndInstall(ids: string[]) {
    const all = [...new Set([...accepted, ...acceptedBy(job), ...ids])];
    setAccepted(all);
    setAsking(null);
    void run(() => onInstall(item.id, all));
  }

  return (
    <li className="pack-row recipe-row" data-testid="recipe-item" data-recipe-id={item.id} data-state={state.kind}>
      <div className="pack-row__head">
        <span className={`pack-kind pack-kind--${item.kind}`}>{t(`models:kind.${item.kind}`)}</span>
        <span className="pack-row__name" data-testid="recipe-name" translate="no">
          {item.name}
        </span>
        <span className="pack-row__id">{item.id}</span>
        <div className="pack-row__actions" role="group" aria-label={t('models:action.actions', { name: item.name })}>
          {(state.kind === 'available' || state.kind === 'failed') && (
            <button type="button" className="button button--primary" data-testid="recipe-install" disabled={busy} onClick={install}>
              {state.kind === 'failed' ? t('models:catalogue.retry') : t('models:recipe.install')}
            </button>
          )}
          {state.kind === 'paused' && (
            <button type="button" className="button button--primary" data-testid="recipe-resume" disabled={busy} onClick={install}>
              {t('models:catalogue.resume')}
            </button>
          )}
          {state.kind === 'installing' && (
            <PauseCancel
              testIdPrefix="recipe"
              busy={busy}
              onPause={() => void run(() => onPause(state.jobId))}
              onCancel={() => void run(() => onCancel(state.jobId))}
            />
          )}
          {state.kind === 'installed' && (
            <span className="pack-status pack-status--verified" data-testid="recipe-installed">
              {t('models:recipe.installed', { id: state.packId })}
            </span>
          )}
        </div>
      </div>
      {item.description && <p className="catalogue-row__description">{item.description}</p>}

      <table className="recipe-files" data-testid="recipe-files">
        <thead>
          <tr>
            <th scope="col">{t('models:recipe.file')}</th>
            <th scope="col">{t('models:recipe.size')}</th>
            <th scope="col">{t('models:recipe.verifiedBy')}</th>
            <th scope="col">{t('models:field.licence')}</th>
            <th scope="col">{t('models:recipe.publisher')}</th>
          </tr>
        </thead>
        <tbody>
          {item.files.map((file) => (
            <RecipeFileRow key={`${file.role}:${file.name}`} file={file} size={size} />
          ))}
        </tbody>
      </table>

      <dl className="pack-row__facts recipe-row__totals">
        <div>
          <dt>{t('models:recipe.download')}</dt>
          <dd data-testid="recipe-download" data-bytes={totals.downloadBytes} data-at-least={totals.atLeast ? 'true' : 'false'}>
            {totals.atLeast ? t('models:recipe.atLeast', { size: size(totals.downloadBytes) }) : size(totals.downloadBytes)}
          </dd>
        </div>
        <div>
          <dt>{t('models:recipe.disk')}</dt>
          <dd data-testid="recipe-disk" data-bytes={totals.assemblyBytes}>
            {totals.atLeast ? t('models:recipe.atLeast', { size: size(totals.assemblyBytes) }) : size(totals.assemblyBytes)}
          </dd>
        </div>
      </dl>
      {totals.atLeast && (
        <p className="pack-note" data-testid="recipe-sizes-unknown">
          {t('models:recipe.sizesUnknown', { count: totals.unknownSizes })}
        </p>
      )}

      {state.kind === 'installing' && (
        <AssemblyProgress
          name={item.name}
          queued={state.queued}
          progress={progress[state.jobId] ?? (job?.id === state.jobId ? job.progress : null)}
        />
      )}
      {state.kind === 'paused' && (
        <p className="pack-note" data-testid="recipe-paused">
          {t(state.interrupted ? 'models:recipe.interrupted' : 'models:recipe.paused')}
        </p>
      )}
      {state.kind === 'failed' && (
        <p className="form-error pack-row__error" role="alert" data-testid="recipe-failed">
          <strong>{t('models:recipe.failed')}</strong> {state.message}
        </p>
      )}
      {error && (
        <p className="form-error pack-row__error" role="alert" data-testid="recipe-error">
          <strong>{t('models:catalogue.actionFailed')}</strong> {error}
        </p>
      )}
      {asking && <LicenceDialog name={item.name} licences={asking} onAccept={acceptAndInstall} onClose={() => setAsking(null)} />}
    </li>
  );
}

/** One public file: its size as published, how its bytes are checked, its licence and its publisher. */
function RecipeFileRow({ file, size }: { file: RecipeFile; size(n: number): string }) {
  const { t } = useTranslation();
  return (
    <tr data-testid="recipe-file" data-role={file.role} data-verify={file.verify}>
      <td className="recipe-files__name" title={file.note ? `${file.url}\n\n${file.note}` : file.url}>
        {file.name}
      </td>
      <td data-testid="recipe-file-size">{file.sizeBytes === null ? t('models:recipe.sizeUnknown') : size(file.sizeBytes)}</td>
      <td data-testid="recipe-file-verify">
        {file.verify === 'sha256' && file.sha256 ? (
          <span title={`sha256 ${file.sha256}\n${file.publishedFrom}`}><Trans i18nKey="models:recipe.verify.sha256" values={{ hash: `${file.sha256.slice(0, 8)}…` }} components={VERBATIM} /></span>
        ) : (
          <span title={file.publishedFrom}><Trans i18nKey="models:recipe.verify.server" components={VERBATIM} /></span>
        )}
      </td>
      <td data-testid="recipe-file-licence">
        {/* Licence names are their publishers' (CreativeML OpenRAIL-M, Apache-2.0). */}
        {file.licence.url ? (
          <a href={file.licence.url} target="_blank" rel="noreferrer noopener" translate="no">
            {file.licence.name}
          </a>
        ) : (
          <span translate="no">{file.licence.name}</span>
        )}
        {file.licence.mustAccept && <span className="recipe-files__must">{t('models:recipe.mustAccept')}</span>}
      </td>
      <td>
        <a href={file.publisher} target="_blank" rel="noreferrer noopener" data-testid="recipe-file-publisher">
          {publisherName(file.publisher)}
        </a>
      </td>
    </tr>
  );
}

/** A publisher's page shown by where it lives (huggingface.co/h94/IP-Adapter), not as a raw URL. */
export function publisherName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname.replace(/\/$/, '')}`;
  } catch {
    return url;
  }
}
