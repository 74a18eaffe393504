import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../lib/i18n';
import { PlacementLine } from './PlacementLine';

describe('the placement line on the tech-pack form', () => {
  it('marks the flat’s and the print’s names translate="no" and words the rest in Chinese', () => {
    const html = renderToStaticMarkup(
      <I18nextProvider i18n={createI18n('zh')}>
        <PlacementLine places={[{ kind: 'print', name: 'Phoenix & <cloud>', flat: 'qipao-front-back', view: 'front' }]} />
      </I18nextProvider>,
    );
    expect(html).toBe(
      '定位印花（<span translate="no" data-testid="placement-name">Phoenix &amp; &lt;cloud&gt;</span>），<span translate="no" data-testid="placement-name">qipao-front-back</span> 正面',
    );
  });
});
