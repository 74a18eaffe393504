import { useTranslation } from 'react-i18next';
import type { PomRowInput, ResolvedPomRow } from '../../../../shared/techpack';
import { pomLabel } from '../../lib/i18n-names';

interface Props {
  rows: PomRowInput[];
  /** The flats' own POMs as the pack prints them (from the live preview); empty until it arrives. */
  flatRows: readonly ResolvedPomRow[];
  /** Descriptions printed instead of a flat POM's name, by code. */
  descriptions: Record<string, string>;
  onChange(rows: PomRowInput[]): void;
  onDescriptions(descriptions: Record<string, string>): void;
}

/**
 * Points of measure: the flats' own, measured on the drawing (their value changes in the editor,
 * their printed description here), then those typed by hand; blank values stay null so preflight
 * flags them. A typed row with a flat POM's code replaces it.
 */
export function PomRowsEditor({ rows, flatRows, descriptions, onChange, onDescriptions }: Props) {
  const { t } = useTranslation();
  const describe = (code: string, text: string) => {
    const next = { ...descriptions };
    if (text) next[code] = text;
    else delete next[code];
    onDescriptions(next);
  };
  const set = (i: number, patch: Partial<PomRowInput>) => onChange(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const add = () => {
    let n = rows.length + 1;
    while (rows.some((r) => r.id === `pom-${n}`)) n++;
    onChange([...rows, { id: `pom-${n}`, code: `P${n}`, description: '', value: null, unit: 'cm', tolerance: null }]);
  };
  return (
    <fieldset data-section="pom" data-item="">
      <legend>{t('techpack:measurements')}</legend>
      <table className="techpack__pom">
        <thead>
          <tr>
            <th>{t('techpack:pom.code')}</th>
            <th>{t('techpack:pom.description')}</th>
            <th>{t('techpack:pom.value')}</th>
            <th>{t('techpack:pom.unit')}</th>
            <th>{t('techpack:pom.tolerance')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {flatRows.map((r) => (
            <tr key={r.id} data-testid="techpack-pom-flat-row" title={t('techpack:pom.fromFlats')}>
              <td className="techpack__readonly">{r.code}</td>
              <td>
                <input
                  className="text-input"
                  data-section="pom"
                  data-item={r.id}
                  aria-label={t('techpack:pom.description')}
                  placeholder={pomLabel(t, r.description)}
                  value={descriptions[r.code] ?? ''}
                  onChange={(e) => describe(r.code, e.target.value)}
                />
              </td>
              <td className="techpack__readonly">{r.value ?? '—'}</td>
              <td className="techpack__readonly">{r.unit ?? '—'}</td>
              <td className="techpack__readonly">{r.tolerance ?? ''}</td>
              <td />
            </tr>
          ))}
          {rows.map((r, i) => (
            <tr key={r.id} data-testid="techpack-pom-row">
              <td>
                <input className="text-input" data-section="pom" data-item={r.id} aria-label={t('techpack:pom.code')} value={r.code} onChange={(e) => set(i, { code: e.target.value })} />
              </td>
              <td>
                <input className="text-input" aria-label={t('techpack:pom.description')} value={r.description} onChange={(e) => set(i, { description: e.target.value })} />
              </td>
              <td>
                <input className="text-input" inputMode="decimal" aria-label={t('techpack:pom.value')} value={r.value ?? ''} onChange={(e) => set(i, { value: e.target.value.trim() || null })} />
              </td>
              <td>
                <select className="text-input" aria-label={t('techpack:pom.unit')} value={r.unit ?? ''} onChange={(e) => set(i, { unit: (e.target.value || null) as PomRowInput['unit'] })}>
                  <option value="">—</option>
                  <option value="cm">cm</option>
                  <option value="in">in</option>
                </select>
              </td>
              <td>
                <input className="text-input" inputMode="decimal" aria-label={t('techpack:pom.tolerance')} value={r.tolerance ?? ''} onChange={(e) => set(i, { tolerance: e.target.value.trim() || null })} />
              </td>
              <td>
                <button type="button" className="button button--quiet-danger" onClick={() => onChange(rows.filter((_, k) => k !== i))}>
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="button" data-testid="techpack-pom-add" onClick={add}>
        {t('techpack:pom.add')}
      </button>
    </fieldset>
  );
}
