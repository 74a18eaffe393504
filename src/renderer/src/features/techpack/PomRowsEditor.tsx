import { useTranslation } from 'react-i18next';
import type { PomRowInput } from '../../../../shared/techpack';

interface Props {
  rows: PomRowInput[];
  onChange(rows: PomRowInput[]): void;
}

/** Points of measure typed by hand (the flats' own POMs join them at export); blank values stay null so preflight flags them. */
export function PomRowsEditor({ rows, onChange }: Props) {
  const { t } = useTranslation();
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
