import { useTranslation } from 'react-i18next';
import { TECHPACK_STATUSES, type Cover, type TechPackDocument, type TechPackOutline } from '../../../../shared/techpack';
import { BomEditor } from './BomEditor';
import { ColorwaysEditor } from './ColorwaysEditor';
import { GradingEditor } from './GradingEditor';
import { MotifRefsEditor } from './MotifRefsEditor';
import { NotesEditor } from './NotesEditor';
import { PomRowsEditor } from './PomRowsEditor';

const COVER_TEXT: readonly (keyof Cover)[] = ['styleNumber', 'name', 'season', 'brand', 'designer'];
const COVER_DATES: readonly (keyof Cover)[] = ['createdDate', 'dueDate'];

interface Props {
  projectId: string;
  draft: TechPackDocument;
  onChange(draft: TechPackDocument): void;
  /** What the pack takes from the project (flat POMs, generated BOM rows, credited motifs); null until the first preview. */
  outline: TechPackOutline | null;
  /** Motifs named by the document or the flats that the library no longer has. */
  missingMotifs: readonly string[];
}

/**
 * The tech-pack document as a form, one fieldset per section. Every item a preflight issue can
 * point at carries data-section and data-item (see fix-target.ts), so each link lands on the
 * control that fixes it.
 */
export function TechPackForm({ projectId, draft, onChange, outline, missingMotifs }: Props) {
  const { t } = useTranslation();
  const setCover = (key: keyof Cover, value: string) => onChange({ ...draft, cover: { ...draft.cover, [key]: COVER_DATES.includes(key) ? value || null : value } });
  return (
    <>
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
          <select className="text-input" value={draft.paper} onChange={(e) => onChange({ ...draft, paper: e.target.value as TechPackDocument['paper'] })}>
            <option value="a4">{t('techpack:paper.a4')}</option>
            <option value="letter">{t('techpack:paper.letter')}</option>
          </select>
        </label>
        <label className="techpack__field">
          <span>{t('techpack:fields.unit')}</span>
          <select className="text-input" value={draft.pom.unit} onChange={(e) => onChange({ ...draft, pom: { ...draft.pom, unit: e.target.value as 'cm' | 'in' } })}>
            <option value="cm">cm</option>
            <option value="in">in</option>
          </select>
        </label>
        <label className="techpack__field">
          <span>{t('techpack:fields.revisionNote')}</span>
          <input
            className="text-input"
            data-section="revisions"
            data-item=""
            data-testid="techpack-revisionNote"
            value={draft.revisionNote}
            onChange={(e) => onChange({ ...draft, revisionNote: e.target.value })}
          />
        </label>
      </fieldset>
      <ColorwaysEditor projectId={projectId} colorways={draft.colorways} onChange={(colorways) => onChange({ ...draft, colorways })} />
      <BomEditor bom={draft.bom} generated={outline?.bomRows ?? []} onChange={(bom) => onChange({ ...draft, bom })} />
      <PomRowsEditor
        rows={draft.pom.rows}
        flatRows={outline?.pomRows ?? []}
        descriptions={draft.pom.descriptions}
        onChange={(rows) => onChange({ ...draft, pom: { ...draft.pom, rows } })}
        onDescriptions={(descriptions) => onChange({ ...draft, pom: { ...draft.pom, descriptions } })}
      />
      <GradingEditor pom={draft.pom} onChange={(pom) => onChange({ ...draft, pom })} />
      <NotesEditor notes={draft.constructionNotes} onChange={(constructionNotes) => onChange({ ...draft, constructionNotes })} />
      <MotifRefsEditor
        refs={draft.motifs}
        captions={draft.motifCaptions}
        credited={outline?.motifs ?? null}
        placements={outline?.placements ?? {}}
        missing={missingMotifs}
        onChange={(motifs) => onChange({ ...draft, motifs })}
        onCaptions={(motifCaptions) => onChange({ ...draft, motifCaptions })}
      />
    </>
  );
}
