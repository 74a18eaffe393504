import {
  CLOSURE_NAMES,
  FIT_NAMES,
  GARMENT_NAMES,
  LENGTH_NAMES,
  NECKLINE_NAMES,
  SLEEVE_NAMES,
  colourEntry,
  fabricEntry,
  type Bilingual,
} from '../../../../shared/fabric';
import { useTranslation } from 'react-i18next';
import type { Reading } from './usePromptReading';

/** What the studio read from the prompt, field by field, with the swatch the fabric links to. */
export function ExtractionView({ reading, hasProject }: { reading: Reading; hasProject: boolean }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language === 'zh';
  const say = (b: Bilingual) => (zh ? b.zh : b.en);
  const x = reading.extraction;
  if (!x) return null;

  const rows: Array<[string, string]> = [];
  if (x.fabric) rows.push(['fabric', say(fabricEntry(x.fabric).name)]);
  if (x.trimFabrics.length) rows.push(['trims', x.trimFabrics.map((f) => say(fabricEntry(f).name)).join(', ')]);
  if (x.garment) rows.push(['garment', say(GARMENT_NAMES[x.garment])]);
  if (x.sleeve) rows.push(['sleeve', say(SLEEVE_NAMES[x.sleeve])]);
  if (x.neckline) rows.push(['neckline', say(NECKLINE_NAMES[x.neckline])]);
  if (x.length) rows.push(['length', say(LENGTH_NAMES[x.length])]);
  if (x.closure) rows.push(['closure', say(CLOSURE_NAMES[x.closure])]);
  if (x.pockets !== null) rows.push(['pockets', t(x.pockets ? 'prompt:pockets.yes' : 'prompt:pockets.no')]);
  if (x.fit) rows.push(['fit', say(FIT_NAMES[x.fit])]);

  if (rows.length === 0 && x.colours.length === 0) {
    return <p className="prompt__nothing">{t('prompt:nothing')}</p>;
  }
  return (
    <div className="prompt__reading" data-testid="prompt-extraction">
      <h3 className="prompt__subtitle">{t('prompt:understood')}</h3>
      <dl className="prompt__fields">
        {rows.map(([field, value]) => (
          <div key={field} className="prompt__field" data-field={field}>
            <dt>{t(`prompt:fields.${field}`)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
        {x.colours.length > 0 && (
          <div className="prompt__field" data-field="colours">
            <dt>{t('prompt:fields.colours')}</dt>
            <dd className="prompt__colours">
              {x.colours.map((c) => {
                const entry = colourEntry(c);
                return (
                  <span key={c} className="prompt__colour">
                    <span className="prompt__dot" style={{ background: entry.hex }} aria-hidden="true" />
                    {say(entry.name)}
                  </span>
                );
              })}
            </dd>
          </div>
        )}
      </dl>
      {x.fabric && hasProject && (
        <p className="prompt__swatch" data-testid="prompt-swatch">
          {reading.swatch ? t('prompt:swatch', { name: reading.swatch.name }) : t('prompt:noSwatch', { fabric: say(fabricEntry(x.fabric).name) })}
        </p>
      )}
      <p className="prompt__words">
        {t('prompt:words')}:{' '}
        {x.matches.map((m, i) => (
          <span key={`${m.start}-${i}`} className={m.negated ? 'prompt__word prompt__word--negated' : 'prompt__word'}>
            {m.text}
          </span>
        ))}
      </p>
    </div>
  );
}
