import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TECHPACK_STATUSES, type Cover, type PreflightIssue, type TechPackDocument } from '../../../../shared/techpack';
import type { z } from 'zod';
import type { ExportResultSchema, RevisionInfoSchema } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';
import { BomEditor } from './BomEditor';
import { ColorwaysEditor } from './ColorwaysEditor';
import { GradingEditor } from './GradingEditor';
import { MotifRefsEditor } from './MotifRefsEditor';
import { NotesEditor } from './NotesEditor';
import { PomRowsEditor } from './PomRowsEditor';
import { useTechPack } from './useTechPack';
import './techpack.css';

type ExportResult = z.output<typeof ExportResultSchema>;
type RevisionInfo = z.output<typeof RevisionInfoSchema>;

const COVER_TEXT: readonly (keyof Cover)[] = ['styleNumber', 'name', 'season', 'brand', 'designer'];
const COVER_DATES: readonly (keyof Cover)[] = ['createdDate', 'dueDate'];

/** The tech-pack view: cover and settings, preflight with links to what to fix, a live sheet preview, export and revisions. */
export function TechPackPanel({ className, projectId }: { className?: string; projectId: string }) {
  const { t } = useTranslation();
  const { client } = useStudioApi();
  const id = useId();
  const tp = useTechPack(projectId);
  const [draft, setDraft] = useState<TechPackDocument | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
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

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

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

  const setCover = (key: keyof Cover, value: string) =>
    setDraft({ ...draft, cover: { ...draft.cover, [key]: COVER_DATES.includes(key) ? value || null : value } });
  const issues = tp.preview.status === 'ready' ? tp.preview.value.preflight.issues : [];
  const sheets = tp.preview.status === 'ready' ? tp.preview.value.sheets : 0;

  const goTo = (issue: PreflightIssue) => {
    const el =
      document.querySelector<HTMLElement>(`[data-section="${issue.target.section}"][data-item="${issue.target.itemId ?? ''}"]`) ??
      document.querySelector<HTMLElement>(`[data-section="${issue.target.section}"]`);
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
  };

  const exportNow = (revision?: number) =>
    run(async () => {
      await tp.save(draft);
      const request = { projectId, format, ...(out.trim() ? { out: out.trim() } : {}), ...(format === 'png' ? { dpi } : {}) };
      setResult(revision ? await client.techpack.exportRevision({ ...request, revision }) : await client.techpack.export(request));
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
          className="techpack__form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => tp.save(draft));
          }}
        >
          <fieldset data-section="cover" data-item="">
            <legend>{t('techpack:cover')}</legend>
            {COVER_TEXT.map((key) => (
              <label key={key} className="techpack__field">
                <span>{t(`techpack:fields.${key}`)}</span>
                <input className="text-input" data-section="cover" data-item={key} data-testid={`techpack-${key}`} value={String(draft.cover[key] ?? '')} onChange={(e) => setCover(key, e.target.value)} />
              </label>
            ))}
            {COVER_DATES.map((key) => (
              <label key={key} className="techpack__field">
                <span>{t(`techpack:fields.${key}`)}</span>
                <input type="date" className="text-input" data-section="cover" data-item={key} value={String(draft.cover[key] ?? '')} onChange={(e) => setCover(key, e.target.value)} />
              </label>
            ))}
            <label className="techpack__field">
              <span>{t('techpack:fields.status')}</span>
              <select className="text-input" data-section="cover" data-item="status" value={draft.cover.status} onChange={(e) => setCover('status', e.target.value)}>
                {TECHPACK_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`techpack:status.${s}`)}
                  </option>
                ))}
              </select>
            </label>
          </fieldset>
          <fieldset>
            <legend>{t('techpack:sheets')}</legend>
            <label className="techpack__field">
              <span>{t('techpack:fields.paper')}</span>
              <select className="text-input" value={draft.paper} onChange={(e) => setDraft({ ...draft, paper: e.target.value as TechPackDocument['paper'] })}>
                <option value="a4">A4</option>
                <option value="letter">Letter</option>
              </select>
            </label>
            <label className="techpack__field" data-section="pom" data-item="">
              <span>{t('techpack:fields.unit')}</span>
              <select className="text-input" value={draft.pom.unit} onChange={(e) => setDraft({ ...draft, pom: { ...draft.pom, unit: e.target.value as 'cm' | 'in' } })}>
                <option value="cm">cm</option>
                <option value="in">in</option>
              </select>
            </label>
            <label className="techpack__field" data-section="revisions" data-item="">
              <span>{t('techpack:fields.revisionNote')}</span>
              <input className="text-input" data-testid="techpack-revisionNote" value={draft.revisionNote} onChange={(e) => setDraft({ ...draft, revisionNote: e.target.value })} />
            </label>
          </fieldset>
          <ColorwaysEditor projectId={projectId} colorways={draft.colorways} onChange={(colorways) => setDraft({ ...draft, colorways })} />
          <BomEditor projectId={projectId} bom={draft.bom} onChange={(bom) => setDraft({ ...draft, bom })} />
          <PomRowsEditor rows={draft.pom.rows} onChange={(rows) => setDraft({ ...draft, pom: { ...draft.pom, rows } })} />
          <GradingEditor pom={draft.pom} onChange={(pom) => setDraft({ ...draft, pom })} />
          <NotesEditor notes={draft.constructionNotes} onChange={(constructionNotes) => setDraft({ ...draft, constructionNotes })} />
          <MotifRefsEditor refs={draft.motifs} onChange={(motifs) => setDraft({ ...draft, motifs })} />
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
          {tp.preview.status === 'ready' && <img className="techpack__sheet" data-testid="techpack-preview" src={tp.preview.value.src} alt={t('techpack:previewAlt')} />}
          {tp.preview.status === 'loading' && <div className="techpack__sheet techpack__sheet--loading">{t('techpack:rendering')}</div>}
          {tp.preview.status === 'error' && <div className="banner banner--error">{tp.preview.error}</div>}

          <h3>{t('techpack:preflight')}</h3>
          {issues.length === 0 ? (
            <p data-testid="techpack-preflight-ok">{t('techpack:preflightOk')}</p>
          ) : (
            <ul className="techpack__issues" data-testid="techpack-issues">
              {issues.map((issue, i) => (
                <li key={i} className={`techpack__issue techpack__issue--${issue.severity}`}>
                  <strong>{t(`techpack:severity.${issue.severity}`)}</strong> {issue.message}{' '}
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
              <li key={r.revision}>
                <span>
                  {t('techpack:revision', { revision: r.revision })} · {r.createdAt.slice(0, 10)} · {r.note}
                </span>
                <button type="button" className="button" disabled={busy} onClick={() => void exportNow(r.revision)}>
                  {t('techpack:reexport')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
