import { useTranslation } from 'react-i18next';
import type { TechPackDocument } from '../../../../shared/techpack';
import { nextId } from './ids';

type Note = TechPackDocument['constructionNotes'][number];

/** Construction notes (seams, finishes, pressing): a title and the instruction, printed in order. */
export function NotesEditor({ notes, onChange }: { notes: Note[]; onChange(notes: Note[]): void }) {
  const { t } = useTranslation();
  const set = (i: number, patch: Partial<Note>) => onChange(notes.map((n, k) => (k === i ? { ...n, ...patch } : n)));
  return (
    <fieldset data-section="construction" data-item="">
      <legend>{t('techpack:notes.title')}</legend>
      {notes.map((n, i) => (
        <div key={n.id} className="techpack__card" data-testid="techpack-note">
          <div className="techpack__row">
            <input className="text-input" data-section="construction" data-item={n.id} aria-label={t('techpack:notes.noteTitle')} placeholder={t('techpack:notes.noteTitle')} value={n.title} onChange={(e) => set(i, { title: e.target.value })} />
            <button type="button" className="button button--quiet-danger" aria-label={t('techpack:remove')} onClick={() => onChange(notes.filter((_, k) => k !== i))}>
              ×
            </button>
          </div>
          <textarea className="text-input techpack__textarea" rows={3} maxLength={2000} aria-label={t('techpack:notes.text')} placeholder={t('techpack:notes.text')} value={n.text} onChange={(e) => set(i, { text: e.target.value })} />
        </div>
      ))}
      <button type="button" className="button" data-testid="techpack-note-add" onClick={() => onChange([...notes, { id: nextId('note', notes.map((n) => n.id)), title: '', text: '' }])}>
        {t('techpack:notes.add')}
      </button>
    </fieldset>
  );
}
