import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../lib/i18n';
import { snapStrength, StartFromColorway } from './StartFromColorway';

const render = (value: number | null, available: boolean, language: 'en' | 'zh' = 'en') =>
  renderToStaticMarkup(
    <I18nextProvider i18n={createI18n(language)}>
      <StartFromColorway value={value} available={available} onChange={() => undefined} />
    </I18nextProvider>,
  );
const toggleOf = (html: string) => /<input[^>]*data-testid="init-colorway-toggle"[^>]*>/.exec(html)?.[0] ?? '';
const sliderOf = (html: string) => /<input[^>]*data-testid="init-strength"[^>]*>/.exec(html)?.[0] ?? '';

describe('"Start from the colorway" in the generate panel', () => {
  it('is disabled with the reason for a pack without a VAE encoder, even if a strength was kept', () => {
    const html = render(0.6, false);
    expect(toggleOf(html)).toContain('disabled=""');
    expect(toggleOf(html)).not.toContain('checked');
    expect(html).toContain('This pack has no VAE encoder; start from noise or install a pack that has one.');
    expect(sliderOf(html)).toBe('');
  });

  it('offers the strength slider once on, in (0, 1], and speaks Chinese', () => {
    const off = render(null, true);
    expect(toggleOf(off)).not.toContain('disabled');
    expect(sliderOf(off)).toBe('');
    const on = render(0.6, true, 'zh');
    expect(toggleOf(on)).toContain('checked=""');
    for (const attribute of ['type="range"', 'min="0.05"', 'max="1"', 'value="0.6"']) expect(sliderOf(on)).toContain(attribute);
    expect(on).toContain('从配色图开始');
    expect(on).not.toContain('init-colorway-reason');
  });

  it('snaps a dragged strength to the step and never to 0 (no step would run)', () => {
    expect(snapStrength(0.6300000001)).toBe(0.65);
    expect(snapStrength(0)).toBe(0.05);
    expect(snapStrength(1.2)).toBe(1);
  });
});
