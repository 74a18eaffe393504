import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { measuredLine } from '../src/shared/flat/scale';
import { importSvg } from '../src/shared/flat/svg';
import { testFixture } from '../src/main/test-fixtures';
import { createProject, electronUnavailable, expect, showPanel, test } from './fixtures';

/**
 * What the day-journey (issue 16) found a technician still trips over, at 1440 x 900: rulers that read
 * drawing units after calibration, the save status and the garment's swatch cut off at the right, a
 * "Reading…" flash and the new-flat gallery on coming back to a project that has a flat.
 */

const QIPAO = testFixture('flat_views', 'qipao-front-back.svg');
/** Where a run keeps its screenshots (outside e2e-output, which other specs own). */
const SHOTS = process.env.JOURNEY_POLISH_SHOTS ?? path.resolve(import.meta.dirname, '..', 'test-output', 'journey-polish');
const BODY_CM = 118;

test.skip(({ target }) => target === 'electron' && electronUnavailable() !== null, electronUnavailable() ?? '');
test.setTimeout(120_000);

const unique = (label: string) => `${label} ${Date.now()}`;

/** The qipao imported (front and back found side by side), then calibrated to BODY_CM body length. */
async function importCalibratedQipao(page: Page): Promise<void> {
  await page.getByTestId('flat-import-input').setInputFiles(QIPAO);
  await expect(page.getByTestId('import-form')).toBeVisible();
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('import-form')).toHaveCount(0);
  await expect(page.getByTestId('editor-canvas')).toHaveAttribute('data-viewport', /,/);
  await page.getByTestId('flat-calibrate').click();
  await page.getByTestId('calibrate-source').selectOption('bodyLength');
  await page.getByTestId('calibrate-cm').fill(String(BODY_CM));
  await page.getByTestId('calibrate-apply').click();
  await expect(page.getByTestId('calibrate-form')).toHaveCount(0);
  await expect(page.getByTestId('panel-editor')).toHaveAttribute('data-save-status', 'saved', { timeout: 15_000 });
}

/** The left ruler's reading at page y, from the labelled ticks it publishes (px:value, linear). */
async function leftRulerAt(page: Page, y: number): Promise<number> {
  const ruler = page.getByTestId('ruler-left');
  await expect(ruler).toHaveAttribute('data-unit', 'cm');
  const majors = (await ruler.getAttribute('data-majors'))!.split(' ').map((p) => p.split(':').map(Number) as [number, number]);
  const [[pa, va], [pb, vb]] = [majors[0]!, majors[1]!];
  const top = (await ruler.boundingBox())!.y;
  return va + ((y - top - pa) * (vb - va)) / (pb - pa);
}

/** Page y of a document y, from the viewport the canvas publishes. */
async function screenY(page: Page, docY: number): Promise<number> {
  const frame = page.getByTestId('editor-canvas');
  const v = (await frame.getAttribute('data-viewport'))!.split(',').map(Number);
  return (await frame.boundingBox())!.y + v[3]! * docY + v[5]!;
}

/** An element that shows its whole content: nothing cut at its side, and all of it in the window. */
async function expectWhole(locator: Locator, what: string): Promise<void> {
  await expect(locator, what).toBeVisible();
  const fit = await locator.evaluate((el) => {
    // A select clips its chosen option's text without scrolling: what it needs is that text, its
    // padding and the arrow (about 20 px in Chromium), measured in its own font.
    if (el instanceof HTMLSelectElement) {
      const style = getComputedStyle(el);
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = style.font;
      const text = el.selectedOptions[0]?.text ?? '';
      const needed = Math.ceil(ctx.measureText(text).width + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + 20);
      return { scroll: needed, client: el.clientWidth };
    }
    return { scroll: el.scrollWidth, client: el.clientWidth };
  });
  expect(fit.scroll, `${what}: content ${fit.scroll} px in ${fit.client} px`).toBeLessThanOrEqual(fit.client);
  await expect(locator, `${what} inside the window`).toBeInViewport({ ratio: 1 });
}

/**
 * Records, from before a navigation, whether any element matching `selector` ever appears in the page:
 * a flash that a later look would miss.
 */
async function watchFor(page: Page, name: string, selector: string): Promise<void> {
  await page.evaluate(
    ({ name, selector }) => {
      const w = window as unknown as Record<string, boolean>;
      w[name] = false;
      const seen = () => {
        if (document.querySelector(selector)) w[name] = true;
      };
      new MutationObserver(seen).observe(document.body, { childList: true, subtree: true, attributes: true });
    },
    { name, selector },
  );
}
const sawIt = (page: Page, name: string) => page.evaluate((n) => (window as unknown as Record<string, boolean>)[n], name);

for (const lang of ['en', 'zh'] as const) {
  test(`rulers read cm after calibration, and the editor bar and the garment's swatch fit at 1440 px (${lang})`, async ({ studio: page }) => {
    if (lang === 'zh') {
      await page.getByTestId('language-zh').click();
      await expect(page.getByTestId('language-zh')).toHaveAttribute('aria-pressed', 'true');
    }
    await page.getByTestId('nav-library').click();
    await createProject(page, unique(lang === 'zh' ? '旗袍标尺' : 'Qipao rulers'));
    await importCalibratedQipao(page);
    const { doc } = importSvg(fs.readFileSync(QIPAO, 'utf8'), { views: 'auto' });
    const body = measuredLine(doc.views[0]!, 'bodyLength')!;

    // 1. Shoulder to hem reads the calibrated body length on the left ruler, not the drawing's units.
    const top = await leftRulerAt(page, await screenY(page, body.from.y));
    const hem = await leftRulerAt(page, await screenY(page, body.to.y));
    expect(hem - top).toBeCloseTo(BODY_CM, 0);
    await expect(page.getByTestId('ruler-unit')).toHaveText('cm');

    // 2. The save status, whichever it says, and the bar around it: whole and inside the window.
    await expectWhole(page.locator('.ed-bar'), 'editor bar');
    await expectWhole(page.getByTestId('save-status'), 'save status');
    await expectWhole(page.getByTestId('flat-switch'), 'flat switch');
    await showPanel(page, 'generate');
    await expectWhole(page.getByTestId('garment-swatch-chooser'), 'garment swatch chooser');
    await expectWhole(page.getByTestId('garment-swatch'), 'garment swatch select');
    // An edit makes the status say the flat has unsaved changes: that longer wording fits too.
    await page.getByTestId('flat-calibrate').click();
    await page.getByTestId('calibrate-source').selectOption('bodyLength');
    await page.getByTestId('calibrate-cm').fill(String(BODY_CM + 2));
    await page.getByTestId('calibrate-apply').click();
    await expect(page.getByTestId('panel-editor')).toHaveAttribute('data-save-status', 'pending');
    await expectWhole(page.locator('.ed-bar'), 'editor bar while pending');
    await expectWhole(page.getByTestId('save-status'), 'save status while pending');
    // The status, sticky at the bar's end, covers none of the bar's controls.
    const grid = (await page.getByTestId('toggle-grid').locator('xpath=..').boundingBox())!;
    expect((await page.getByTestId('save-status').boundingBox())!.x).toBeGreaterThanOrEqual(grid.x + grid.width);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${lang}-calibrated.png`) });
    await expect(page.getByTestId('panel-editor')).toHaveAttribute('data-save-status', 'saved', { timeout: 15_000 });
  });
}

test('coming back to a project shows its flat and the prompt as read, with no gallery or "Reading…" on the way', async ({ studio: page }) => {
  await page.getByTestId('nav-library').click();
  await createProject(page, unique('Qipao return'));
  await importCalibratedQipao(page);
  const flat = await page.getByTestId('flat-switch').inputValue();
  await showPanel(page, 'generate');
  const variants = page.getByTestId('panel-variants');
  await variants.getByTestId('prompt-text').fill('celadon silk qipao with a cloud print');
  await expect(variants.getByTestId('prompt-box')).toHaveAttribute('data-reading', 'ready', { timeout: 15_000 });
  const extraction = (await variants.getByTestId('prompt-extraction').textContent()) ?? '';

  await page.getByTestId('nav-library').click();
  await expect(page.getByTestId('library')).toBeVisible();
  await watchFor(page, 'sawGallery', '[data-testid="flat-picker"]');
  await watchFor(page, 'sawReading', '[data-testid="prompt-reading"], [data-testid="prompt-box"][data-reading="reading"]');
  await page.getByTestId('nav-project').click();
  await expect(page.getByTestId('workspace')).toBeVisible();
  await expect(page.getByTestId('flat-switch')).toHaveValue(flat);
  await expect(variants.getByTestId('prompt-extraction')).toHaveText(extraction);
  // Long enough for a debounced read of the prompt to have started and finished.
  await page.waitForTimeout(1_000);
  expect(await sawIt(page, 'sawGallery'), 'the new-flat gallery showed on the way back').toBe(false);
  expect(await sawIt(page, 'sawReading'), '"Reading…" showed on the way back').toBe(false);
  await expect(variants.getByTestId('prompt-box')).toHaveAttribute('data-reading', 'ready');
});
