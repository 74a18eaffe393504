import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { electronUnavailable, expect, heritageCollection, test } from './fixtures';
import { testFixture } from '../src/main/test-fixtures';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Screenshots to look at, in English and Chinese, at 1440 x 900. */
const SHOTS = path.join(ROOT, 'test-output', 'day-layout');
const DENIM_TILE = testFixture('textile_tiles', 'images', 'denim.png');
const WINDOW = { width: 1440, height: 900 };

test.skip(({ target }) => target === 'electron' && electronUnavailable() !== null, electronUnavailable() ?? '');
// A render, a motif import and a swatch import run on two shared cores.
test.setTimeout(300_000);

const unique = (label: string) => `${label} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Creating a project opens it, ready to draw in. */
async function createProject(page: Page, name: string): Promise<void> {
  await page.getByTestId('nav-library').click();
  await page.getByTestId('create-project-name').fill(name);
  await page.getByTestId('create-project-submit').click();
  await expect(page.getByTestId('workspace')).toBeVisible();
  await expect(page.getByTestId('topbar-project-name')).toHaveText(name);
}

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not on screen');
  return b;
}

/** Whether an element's content fits its width: nothing pushes past its side to be scrolled to or cut. */
const fitsSideways = (locator: Locator) => locator.evaluate((el) => el.scrollWidth <= el.clientWidth);

/** Every element under `root` (inputs included) whose content is wider than its box, by test id or class. */
const overflowing = (root: Locator) =>
  root.evaluate((el) =>
    [el, ...el.querySelectorAll('*')]
      .filter((e) => e instanceof HTMLElement && e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'auto')
      .map((e) => (e as HTMLElement).dataset.testid ?? e.className ?? e.tagName),
  );


test('at 1440 x 900 the canvas takes most of the window, the prompt sits with Generate, panels fit their width and tools never move the canvas', async ({ studio: page }) => {
  await createProject(page, unique('Day layout'));
  await page.getByTestId('template-template-t-shirt').click();
  const canvas = page.getByTestId('editor-canvas');
  await expect(canvas).toHaveAttribute('data-viewport', /,/);

  const area = await box(canvas);
  expect((area.width * area.height) / (WINDOW.width * WINDOW.height)).toBeGreaterThanOrEqual(0.6);
  // The editor's bar is one row: every action and the save status in view, none scrolled away.
  expect(await fitsSideways(page.locator('.ed-bar'))).toBe(true);
  await expect(page.getByTestId('save-status')).toBeInViewport({ ratio: 1 });
  await shot(page, 'en-layers');

  // Tools with more options, or a hint, keep the canvas where it was under the pointer.
  for (const tool of ['stitch', 'curve', 'measure', 'eyedropper', 'select']) {
    await page.getByTestId(`tool-${tool}`).click();
    await expect(page.getByTestId(`tool-${tool}`)).toHaveAttribute('aria-pressed', 'true');
    expect(await box(canvas), `canvas after choosing ${tool}`).toEqual(area);
  }
  await page.getByTestId('tool-curve').click();
  await expect(page.getByTestId('tool-hint')).toContainText('then where it ends');
  expect(await box(canvas)).toEqual(area);

  // The prompt and Generate: one panel, the button right under the box.
  await page.getByTestId('dock-tab-generate').click();
  const variants = page.getByTestId('panel-variants');
  await expect(variants.getByTestId('prompt-text')).toBeVisible();
  await expect(variants.getByTestId('generate')).toBeVisible();
  const promptBottom = (await box(variants.getByTestId('prompt-text'))).y + (await box(variants.getByTestId('prompt-text'))).height;
  expect((await box(variants.getByTestId('generate'))).y - promptBottom).toBeLessThan(80);
  await variants.getByTestId('prompt-text').fill('navy denim jacket with two chest pockets, long sleeves');
  await expect(variants.getByTestId('chip-fabric')).toHaveAttribute('data-fabric', 'denim');
  expect(await box(canvas)).toEqual(area);
  expect(await overflowing(page.getByTestId('dock-pane-generate'))).toEqual([]);
  await shot(page, 'en-generate');

  // A swatch photo shows as it will be imported before anything is stored; its card fits the column.
  await page.getByTestId('dock-tab-swatches').click();
  const swatches = page.getByTestId('panel-swatches');
  await swatches.getByTestId('swatch-import-file').setInputFiles(DENIM_TILE);
  await expect(swatches.getByTestId('swatch-import-preview')).toBeVisible();
  await expect(swatches.getByTestId('swatch-import-preview-crop')).toHaveCount(0);
  for (const [k, v] of Object.entries({ left: '10', top: '10', width: '60', height: '50' })) await swatches.getByTestId(`swatch-import-crop-${k}`).fill(v);
  const crop = await box(swatches.getByTestId('swatch-import-preview-crop'));
  const stage = await box(swatches.locator('.swatch-preview__stage'));
  expect(crop.width / stage.width).toBeCloseTo(0.6, 1);
  await shot(page, 'en-swatch-preview');
  const swatchName = unique('Washed selvedge denim, Okayama mill, 14 oz');
  await swatches.getByTestId('swatch-import-name').fill(swatchName);
  await swatches.getByTestId('swatch-import-submit').click();
  await expect(swatches.getByTestId('swatch-card').filter({ hasText: swatchName })).toHaveCount(1, { timeout: 30_000 });
  await expect(swatches.getByTestId('swatch-import-name')).toHaveValue('');
  expect(await overflowing(page.getByTestId('dock-pane-swatches'))).toEqual([]);
  await swatches.getByTestId('swatch-card').filter({ hasText: swatchName }).scrollIntoViewIfNeeded();
  await shot(page, 'en-swatches');

  // Motif results: the whole caption and credit beside the picture, nothing wider than the column.
  await page.getByTestId('dock-tab-motifs').click();
  const motifs = page.getByTestId('panel-motifs');
  const folder = heritageCollection(['lianhuawen_wadang_nwei400', 'porcelain_bowl_lotus_yuan400', 'dragon_robe_qing400'], 'jinxiu-e2e-day-');
  try {
    await motifs.getByTestId('motif-import').locator('summary').click();
    await motifs.getByTestId('motif-import-folder').fill(folder);
    await motifs.getByTestId('motif-import-submit').click();
    await expect(motifs.getByTestId('motif-import-done')).toBeVisible({ timeout: 90_000 });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
  await motifs.getByTestId('motif-mode-caption').click();
  await motifs.getByTestId('motif-query').fill('lotus');
  await motifs.getByTestId('motif-search').click();
  await expect(motifs.getByTestId('motif-result').first()).toBeVisible({ timeout: 30_000 });
  for (const caption of await motifs.getByTestId('motif-caption').all()) {
    expect(await caption.evaluate((el) => el.scrollHeight <= el.clientHeight + 1), (await caption.textContent()) ?? '').toBe(true);
  }
  expect(await overflowing(page.getByTestId('dock-pane-motifs'))).toEqual([]);
  await shot(page, 'en-motifs');

  // The bill of materials: rows and inputs within the sheet's column.
  await page.getByTestId('workspace-tab-techpack').click();
  await page.getByTestId('techpack-bom-add').click();
  const bomRow = page.getByTestId('techpack-bom-row').last();
  // A row as a technician writes one: every input shows its whole text.
  const values = ['Cotton twill, 12 oz', 'Indigo 19-4050', 'Kaihara Denim', 'KD-1204', 'Body, sleeves', '1.6 m'];
  const inputs = bomRow.locator('input');
  for (const [k, value] of values.entries()) await inputs.nth(k).fill(value);
  const bom = page.getByTestId('techpack-bom-add').locator('xpath=ancestor::fieldset[1]');
  expect(await overflowing(bom)).toEqual([]);
  await shot(page, 'en-techpack');

  // Bundled packs ship with the app: not "Not verified".
  await page.getByTestId('nav-models').click();
  const bundled = page.locator('[data-testid="installed-pack"]').filter({ hasText: 'Bundled with the app' });
  await expect(bundled.first()).toBeVisible();
  for (const row of await bundled.all()) await expect(row.getByTestId('pack-status')).toHaveText(/Ships with the app|Verified/);
  await expect(page.getByTestId('pack-status').filter({ hasText: 'Not verified' })).toHaveCount(0);
  const bundledId = (await bundled.first().getAttribute('data-pack-id')) ?? '';
  await shot(page, 'en-models');

  // The same screens in Chinese.
  await page.getByTestId('language-zh').click();
  await expect(page.locator(`[data-testid="installed-pack"][data-pack-id="${bundledId}"]`).getByTestId('pack-status')).toHaveText(/随应用提供|已校验/);
  await shot(page, 'zh-models');
  await page.getByTestId('nav-project').click();
  await page.getByTestId('workspace-tab-design').click();
  await expect(canvas).toBeVisible();
  expect(await fitsSideways(page.locator('.ed-bar'))).toBe(true);
  for (const tab of ['layers', 'generate', 'swatches', 'motifs'] as const) {
    await page.getByTestId(`dock-tab-${tab}`).click();
    if (tab === 'motifs') {
      await motifs.getByTestId('motif-mode-caption').click();
      await motifs.getByTestId('motif-query').fill('莲花');
      await motifs.getByTestId('motif-search').click();
      await expect(motifs.getByTestId('motif-result').first()).toBeVisible({ timeout: 30_000 });
    }
    if (tab !== 'layers') expect(await overflowing(page.getByTestId(`dock-pane-${tab}`))).toEqual([]);
    await shot(page, `zh-${tab}`);
  }
  await page.getByTestId('tool-curve').click();
  await expect(page.getByTestId('tool-hint')).toBeVisible();
  expect(await box(canvas)).toEqual(area);
  await page.getByTestId('workspace-tab-techpack').click();
  await shot(page, 'zh-techpack');
  await page.getByTestId('language-en').click();
});

/** Both variant images decoded, and the image-biased one's address. */
async function shownRender(panel: Locator): Promise<string> {
  for (const id of ['variant-image-biased', 'variant-text-biased']) {
    await expect
      .poll(() => panel.getByTestId(id).first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 180_000 })
      .toBe(true);
  }
  return (await panel.getByTestId('variant-image-biased').first().getAttribute('src')) ?? '';
}

test('leaving for Projects and Models and coming back restores the prompt, the renders and each flat\'s view', async ({ studio: page }) => {
  const name = unique('Round trip');
  await createProject(page, name);
  await page.getByTestId('template-template-t-shirt').click();
  const canvas = page.getByTestId('editor-canvas');
  await expect(canvas).toHaveAttribute('data-viewport', /,/);

  // A render of this flat, quick: two steps.
  await page.getByTestId('dock-tab-generate').click();
  const panel = page.getByTestId('panel-variants');
  const prompt = 'navy denim jacket, two chest pockets';
  await panel.getByTestId('prompt-text').fill(prompt);
  await panel.getByTestId('prompt-field-fit').selectOption('slim');
  await panel.getByTestId('advanced').locator('summary').click();
  await panel.getByTestId('steps-input').fill('2');
  await panel.getByTestId('generate').click();
  const src = await shownRender(panel);

  // Before/after: each variant's name sits on the picture's own top corner, on the side it shows.
  await panel.getByTestId('compare-slider').click();
  const frame = await box(panel.locator('.compare__frame'));
  const left = await box(panel.getByTestId('compare-tag-image-biased'));
  const right = await box(panel.getByTestId('compare-tag-text-biased'));
  expect(left.x - frame.x).toBeLessThan(12);
  expect(left.y - frame.y).toBeLessThan(12);
  expect(frame.x + frame.width - (right.x + right.width)).toBeLessThan(12);
  expect(right.y - frame.y).toBeLessThan(12);
  await panel.getByTestId('variants-expand').click();
  const enlarged = await box(panel.locator('.compare__frame'));
  expect(enlarged.width).toBeGreaterThan(frame.width * 1.5);
  expect((await box(panel.getByTestId('compare-tag-text-biased'))).x + (await box(panel.getByTestId('compare-tag-text-biased'))).width).toBeGreaterThan(enlarged.x + enlarged.width - 12);
  await shot(page, 'en-enlarged-before-after');
  await panel.getByTestId('variants-expand').click();
  await panel.getByTestId('compare-side').click();

  // Zoomed in on the flat.
  await canvas.click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+=');
  await page.keyboard.press('Control+=');
  const zoomed = (await canvas.getAttribute('data-viewport')) ?? '';
  expect(Number(zoomed.split(',')[0])).toBeGreaterThan(0);
  await shot(page, 'en-round-trip-before');

  const expectAsLeft = async () => {
    await expect(page.getByTestId('workspace')).toBeVisible();
    await expect(panel.getByTestId('prompt-text')).toHaveValue(`${prompt}, slim fit`);
    await expect(panel.getByTestId('prompt-field-fit')).toHaveValue('slim');
    await expect(panel.getByTestId('variants-empty')).toHaveCount(0);
    expect(await shownRender(panel)).toBe(src);
    await expect(canvas).toHaveAttribute('data-viewport', zoomed);
  };

  await page.getByTestId('nav-library').click();
  await expect(page.getByTestId('library')).toBeVisible();
  await page.getByTestId('nav-models').click();
  await expect(page.getByTestId('installed-count')).toBeVisible();
  await page.getByTestId('nav-project').click();
  await expectAsLeft();
  await shot(page, 'en-round-trip-after');

  // A second flat opens fitted to its page, with no renders of its own.
  await page.getByTestId('flat-new').click();
  await page.getByTestId('template-template-t-shirt').click();
  await expect(page.getByTestId('panel-editor')).toHaveClass(/editor--open/);
  await expect(canvas).not.toHaveAttribute('data-viewport', zoomed);
  const fitted = (await canvas.getAttribute('data-viewport')) ?? '';
  await page.getByTestId('zoom-fit').click();
  await expect(canvas).toHaveAttribute('data-viewport', fitted);
  await expect(panel.getByTestId('variants-empty')).toBeVisible();
  // Back to the first flat: its zoom and its renders.
  const first = page.getByTestId('flat-switch').locator('option').last();
  await page.getByTestId('flat-switch').selectOption((await first.getAttribute('value')) ?? '');
  await expect(canvas).toHaveAttribute('data-viewport', zoomed);
  expect(await shownRender(panel)).toBe(src);

  // Through the project list, and after a reload, the project comes back as it was left.
  await page.getByTestId('nav-library').click();
  await page.getByTestId('project-row').filter({ hasText: name }).getByTestId('project-open').click();
  await expectAsLeft();
  await page.reload();
  await page.getByTestId('project-row').filter({ hasText: name }).getByTestId('project-open').click();
  await expectAsLeft();
});
