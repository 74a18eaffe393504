import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SHEET_LANGUAGES, sheetLanguageFor, type PreflightIssue, type SheetLanguage, type TechPackDocument } from '../../../../shared/techpack';
import type { z } from 'zod';
import type { ExportResultSchema, RevisionInfoSchema } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';
import { useAction } from '../../lib/use-action';
import { fixElement } from './fix-target';
import { TechPackForm } from './TechPackForm';
import { useTechPack } from './useTechPack';
import './techpack.css';
import { preflightMessage } from './preflight-wording';

type ExportResult = z.output<typeof ExportResultSchema>;
type RevisionInfo = z.output<typeof RevisionInfoSchema>;

/** Each sheet language's key under techpack:sheetLanguage. */
const SHEET_LANGUAGE_KEYS: Record<SheetLanguage, string> = { 'en+zh': 'enZh', 'zh+en': 'zhEn', zh: 'zh', en: 'en' };

/** An export's time of day in the UI's language (the date is the revision's). */
const clock = (iso: string, language: string) => new Date(iso).toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' });

/**
 * The tech-pack view: the document as a form, a sheet preview and preflight that follow the form as
 * it is typed (saved or not), with links to the control that fixes each issue, export and revisions.
 */
export function TechPackPanel({ className, projectId }: { className?: string; projectId: string }) {
  const { t, i18n } = useTranslation();
  const { client } = useStudioApi();
  const id = useId();
  const [draft, setDraft] = useState<TechPackDocument | null>(null);
  // Until the technician picks one, the sheets follow the studio: Chinese first when it is in Chinese.
  const [chosenLanguage, setChosenLanguage] = useState<SheetLanguage | null>(null);
  const sheetLanguage = chosenLanguage ?? sheetLanguageFor(i18n.language);
  const tp = useTechPack(projectId, draft, sheetLanguage);
  const form = useRef<HTMLFormElement>(null);
  const { busy, error, setError, run } = useAction();
  const [format, setFormat] = useState<'pdf' | 'png'>('pdf');
  const [out, setOut] = useState('');
  const [dpi, setDpi] = useState(150);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [revisions, setRevisions] = useState<RevisionInfo[]>([]);

  useEffect(() => {
    if (tp.doc.status === 'ready') setDraft(tp.doc.value);
  }, [tp.doc]);

  const loadRevisions = () => client.techpack.revisions({ projectId }).then(setRevisions, (e: unknown) => setError(errorMessage(e)));
  useEffect(() => {
    void loadRevisions();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [projectId]);

  if (tp.doc.status === 'error')
    return (
      <section className={`panel techpack ${className ?? ''}`} data-testid="panel-techpack">
        <div className="banner banner--error" role="alert">
          {tp.doc.error}
        </div>
      </section>
    );
  if (!draft)
    return (
      <section className={`panel techpack ${className ?? ''}`} data-testid="panel-techpack" aria-busy="true">
        <p>{t('techpack:loading')}</p>
      </section>
    );

  const shown = tp.preview.status === 'ready' ? tp.preview.value : null;
  const issues = shown?.preflight.issues ?? [];
  const sheets = shown?.sheets ?? 0;
  const missingMotifs = issues.filter((i) => i.code === 'MOTIF_MISSING' && i.target.itemId).map((i) => i.target.itemId!);

  const goTo = (issue: PreflightIssue) => {
    const el = form.current && fixElement(form.current, issue.target);
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
  };

  const exportNow = (revision?: number) =>
    run(async () => {
      await tp.save(draft);
      const request = { projectId, format, ...(out.trim() ? { out: out.trim() } : {}), ...(format === 'png' ? { dpi } : {}) };
      // A recorded revision is exported again as it was printed (byte for byte); a new export in the sheet language.
      setResult(revision ? await client.techpack.exportRevision({ ...request, revision }) : await client.techpack.export({ ...request, language: sheetLanguage }));
      await loadRevisions();
    });

  // The main side writes only where the user chose in its own dialog (or a folder the studio was started with).
  const chooseOut = () =>
    run(async () => {
      const chosen = await client.system.choosePath({ kind: format === 'pdf' ? 'techPackPdf' : 'techPackFolder' });
      if (chosen.path !== null) setOut(chosen.path);
    });

  return (
    <section className={`panel techpack ${className ?? ''}`} data-testid="panel-techpack" aria-labelledby={`${id}-title`}>
      <header className="panel__header">
        <h2 id={`${id}-title`} className="panel__title">
          {t('techpack:title')}
        </h2>
      </header>
      {error && (
        <div className="banner banner--error" role="alert" data-testid="techpack-error">
          <span style={{ whiteSpace: 'pre-wrap' }}>{error}</span>
        </div>
      )}
      <div className="techpack__grid">
        <form
          ref={form}
          className="techpack__form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => tp.save(draft));
          }}
        >
          <TechPackForm projectId={projectId} draft={draft} onChange={setDraft} outline={shown?.outline ?? null} missingMotifs={missingMotifs} />
          <button type="submit" className="button" disabled={busy} data-testid="techpack-save">
            {t('techpack:save')}
          </button>

          <fieldset>
            <legend>{t('techpack:export')}</legend>
            <label className="techpack__field">
              <span>{t('techpack:fields.format')}</span>
              <select className="text-input" data-testid="techpack-format" value={format} onChange={(e) => setFormat(e.target.value as 'pdf' | 'png')}>
                <option value="pdf">PDF</option>
                <option value="png">PNG</option>
              </select>
            </label>
            <label className="techpack__field">
              <span>{t('techpack:fields.sheetLanguage')}</span>
              <select
                className="text-input"
                data-testid="techpack-sheet-language"
                value={sheetLanguage}
                onChange={(e) => setChosenLanguage(e.target.value as SheetLanguage)}
              >
                {SHEET_LANGUAGES.map((l) => (
                  <option key={l} value={l}>
                    {t(`techpack:sheetLanguage.${SHEET_LANGUAGE_KEYS[l]}`)}
                  </option>
                ))}
              </select>
            </label>
            {format === 'png' && (
              <label className="techpack__field">
                <span>DPI</span>
                <input type="number" className="text-input" min={36} max={600} value={dpi} onChange={(e) => setDpi(Number(e.target.value))} />
              </label>
            )}
            <label className="techpack__field">
              <span>{t(format === 'pdf' ? 'techpack:fields.outFile' : 'techpack:fields.outFolder')}</span>
              <input className="text-input" data-testid="techpack-out" value={out} placeholder="/path/to/techpack.pdf" onChange={(e) => setOut(e.target.value)} />
            </label>
            <button type="button" className="button" disabled={busy} data-testid="techpack-out-choose" onClick={() => void chooseOut()}>
              {t('techpack:chooseOut')}
            </button>
            <button type="button" className="button button--primary" disabled={busy} data-testid="techpack-export" onClick={() => void exportNow()}>
              {t('techpack:exportNow')}
            </button>
            {result && (
              <p className="techpack__result" data-testid="techpack-result">
                {t('techpack:exported', { revision: result.revision, count: result.files.length })}
                {result.files.map((f) => (
                  <code key={f.sha256}>{f.path ?? f.sha256}</code>
                ))}
              </p>
            )}
          </fieldset>
        </form>

        <div className="techpack__preview">
          <div className="techpack__pager">
            <button type="button" className="button" disabled={tp.sheet <= 0} onClick={() => tp.setSheet(tp.sheet - 1)}>
              ‹
            </button>
            <span data-testid="techpack-sheet">{t('techpack:sheetOf', { sheet: tp.sheet + 1, count: sheets })}</span>
            <button type="button" className="button" disabled={tp.sheet >= sheets - 1} onClick={() => tp.setSheet(tp.sheet + 1)}>
              ›
            </button>
          </div>
          {shown?.src && (
            <img
              className={`techpack__sheet${shown.stale || tp.updating ? ' techpack__sheet--stale' : ''}`}
              data-testid="techpack-preview"
              data-updating={tp.updating ? 'true' : 'false'}
              src={shown.src}
              alt={t('techpack:previewAlt')}
            />
          )}
          {shown?.stale && (
            <p className="techpack__hint techpack__hint--error" data-testid="techpack-preview-stale">
              {t('techpack:previewStale')}
            </p>
          )}
          {(tp.preview.status === 'loading' || (shown && !shown.src)) && <div className="techpack__sheet techpack__sheet--loading">{t('techpack:rendering')}</div>}
          {tp.preview.status === 'error' && <div className="banner banner--error">{tp.preview.error}</div>}

          <h3>{t('techpack:preflight')}</h3>
          {issues.length === 0 ? (
            <p data-testid="techpack-preflight-ok">{t('techpack:preflightOk')}</p>
          ) : (
            <ul className="techpack__issues" data-testid="techpack-issues">
              {issues.map((issue, i) => (
                <li key={i} className={`techpack__issue techpack__issue--${issue.severity}`}>
                  <strong>{t(`techpack:severity.${issue.severity}`)}</strong> {preflightMessage(t, i18n.language, issue)}{' '}
                  <button type="button" className="link-button" onClick={() => goTo(issue)}>
                    {t('techpack:fix', { section: t(`techpack:section.${issue.target.section}`) })}
                  </button>
                </li>
              ))}
            </ul>
          )}

          <h3>{t('techpack:revisions')}</h3>
          <ul className="techpack__revisions" data-testid="techpack-revisions">
            {revisions.map((r) => (
              <li key={r.revision} data-testid="techpack-revision" data-revision={r.revision}>
                <div className="techpack__revision-head">
                  <span>
                    {t('techpack:revision', { revision: r.revision })} · {r.createdAt.slice(0, 10)}
                    {r.note ? ` · ${r.note}` : ''}
                  </span>
                  <button type="button" className="button" disabled={busy} onClick={() => void exportNow(r.revision)}>
                    {t('techpack:reexport')}
                  </button>
                </div>
                {/* A revision is a state of the document; each file sent out from it is listed under it. */}
                {r.exports.length > 0 && (
                  <ul className="techpack__exports">
                    {r.exports.map((e) => (
                      <li key={`${e.exportedAt}-${e.path}`} data-testid="techpack-revision-export" data-format={e.format}>
                        {t(e.format === 'pdf' ? 'techpack:exportedPdf' : 'techpack:exportedPng', { count: e.files, time: clock(e.exportedAt, i18n.language) })}{' '}
                        <code title={e.path} translate="no">
                          {e.path}
                        </code>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
