import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import type { GenerationRecord } from '../../../../shared/contract';
import { createI18n } from '../../lib/i18n';
import { AlphaControl, DEFAULT_SETTINGS, type RenderSettings } from './AlphaControl';
import { snapLineArt } from './LineArtStrength';
import { settingsFromRecord } from './settings-from-record';

const render = (settings: RenderSettings, lineArtControl: { defaultScale: number } | null, language: 'en' | 'zh' = 'en') =>
  renderToStaticMarkup(
    <I18nextProvider i18n={createI18n(language)}>
      <AlphaControl settings={settings} onChange={() => undefined} autoAlpha={null} onAlphaCommit={() => undefined} canRerender={false} lineArtControl={lineArtControl} />
    </I18nextProvider>,
  );

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/\s+/g, ' ').trim();
const sliderOf = (html: string) => /<input[^>]*data-testid="line-art-slider"[^>]*>/.exec(html)?.[0] ?? '';
const valueOf = (html: string) => /data-testid="line-art-value"[^>]*>([^<]*)</.exec(html)?.[1]?.trim();

describe('line-art strength in the advanced fold', () => {
  it('is not offered for a pack without a ControlNet', () => {
    const html = render(DEFAULT_SETTINGS, null);
    expect(html).toContain('data-testid="scheduler-select"');
    expect(html).not.toContain('line-art-strength');
  });

  it("shows the pack's default until one is set, with the way back to it disabled", () => {
    const html = render(DEFAULT_SETTINGS, { defaultScale: 0.8 });
    expect(valueOf(html)).toBe('0.80 (pack default)');
    const slider = sliderOf(html);
    for (const attribute of ['type="range"', 'min="0"', 'max="2"', 'value="0.8"']) expect(slider).toContain(attribute);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*data-testid="line-art-default"/);
    expect(text(html)).toContain("Use the pack's (0.80)");
  });

  it('shows a strength set by hand (or restored by "reuse these settings") and speaks Chinese', () => {
    const html = render({ ...DEFAULT_SETTINGS, controlScale: 1.35 }, { defaultScale: 1 }, 'zh');
    expect(valueOf(html)).toBe('1.35');
    expect(sliderOf(html)).toContain('value="1.35"');
    expect(html).not.toMatch(/disabled=""[^>]*data-testid="line-art-default"/);
    expect(text(html)).toContain('线稿强度');
  });

  it('snaps a dragged value to the slider step within 0..2', () => {
    expect(snapLineArt(0.8500000000000001)).toBe(0.85);
    expect(snapLineArt(0.37)).toBe(0.35);
    expect(snapLineArt(2.2)).toBe(2);
    expect(snapLineArt(-0.1)).toBe(0);
  });
});

describe('reuse these settings', () => {
  const record: GenerationRecord = {
    id: 'g1',
    projectId: 'p1',
    jobId: 'j1',
    flatId: null,
    flatVersion: null,
    prompt: 'a denim jacket',
    variant: 'image-biased',
    alpha: 0.62,
    alphaAuto: false,
    seed: 42,
    steps: 12,
    guidanceScale: 7.5,
    scheduler: 'euler-ancestral',
    controlScale: 0.45,
    packId: 'pack',
    packVersion: '1',
    packName: 'Pack',
    modelPrompt: 'a denim jacket',
    provider: 'cpu',
    fileSha256: 'a'.repeat(64),
    width: 64,
    height: 64,
    durationMs: 10,
    favourite: false,
    createdAt: '2026-11-26T20:00:00.000Z',
    fabric: null,
    swatch: null,
    colorways: [],
  };

  it('restores the line-art strength with the other settings, the seed locked', () => {
    expect(settingsFromRecord(record)).toEqual({ alpha: 0.62, seed: 42, seedLocked: true, steps: 12, scheduler: 'euler-ancestral', controlScale: 0.45 });
  });

  it("leaves the pack's default for a render made without a ControlNet", () => {
    expect(settingsFromRecord({ ...record, controlScale: null, alphaAuto: true, scheduler: 'unknown' })).toMatchObject({ alpha: 'auto', controlScale: null, scheduler: null });
  });
});
