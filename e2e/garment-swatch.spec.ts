import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { testFixture } from '../src/main/test-fixtures';
import { createProject, electronUnavailable, expect, showPanel, test } from './fixtures';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUTPUT = path.join(ROOT, 'e2e-output');
/** The toolchain's tiny random-weight pack: the real engine at a size a shared CPU renders in seconds. */
const TINY_PACK = path.join(ROOT, 'tools/models/golden/garment-tiny-pack');
const TINY_PACK_ID = 'jinxiu-garment-tiny-random';
const DENIM_TILE = testFixture('textile_tiles', 'images', 'denim.png');
const LINEN_TILE = testFixture('textile_tiles', 'images', 'linen.png');

test.skip(({ target }) => target === 'electron' && electronUnavailable() !== null, electronUnavailable() ?? '');
test.setTimeout(180_000);

const unique = (label: string) => `${label} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/** The tiny pack installed and made the default garment pack, whatever another spec left. */
async function useTinyPack(page: Page): Promise<void> {
  await page.getByTestId('nav-models').click();
  await expect(page.getByTestId('installed-count')).toBeVisible();
  const row = page.locator(`[data-testid="installed-pack"][data-pack-id="${TINY_PACK_ID}"]`);
  if ((await row.count()) === 0) {
    await page.getByTestId('install-path').fill(TINY_PACK);
    await page.getByTestId('install-submit').click();
    await expect(row).toHaveAttribute('data-status', 'verified', { timeout: 60_000 });
  }
  if ((await row.getAttribute('data-default')) !== 'true') await row.getByTestId('pack-set-default').click();
  await expect(row).toHaveAttribute('data-default', 'true');
  await page.getByTestId('nav-library').click();
}

async function importSwatch(page: Page, file: string, name: string, category: string): Promise<void> {
  await page.getByTestId('swatch-import-path').fill(file);
  await page.getByTestId('swatch-import-name').fill(name);
  await page.getByTestId('swatch-import-category').selectOption(category);
  await page.getByTestId('swatch-import-name').press('Enter');
  await expect(page.getByTestId('swatch-card').filter({ hasText: name })).toHaveCount(1);
}

/** Page coordinates of a document point, from the viewport the canvas publishes. */
async function toScreen(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const frame = page.getByTestId('editor-canvas');
  const vpt = (await frame.getAttribute('data-viewport'))!.split(',').map(Number);
  const box = (await frame.boundingBox())!;
  return { x: box.x + vpt[0]! * x + vpt[2]! * y + vpt[4]!, y: box.y + vpt[1]! * x + vpt[3]! * y + vpt[5]! };
}

test('the garment takes the swatch picked next to Generate, the history names it, and a panel takes its own', async ({ studio: page }) => {
  await useTinyPack(page);
  const name = unique('Linen tee');
  await createProject(page, name);
  await page.getByTestId('template-template-t-shirt').click();
  await expect(page.getByTestId('editor-canvas')).toHaveAttribute('data-viewport', /,/);

  const denim = unique('Indigo denim');
  const linen = unique('Washed linen');
  await showPanel(page, 'swatches');
  await importSwatch(page, DENIM_TILE, denim, 'denim');
  await importSwatch(page, LINEN_TILE, linen, 'linen');

  // The prompt names no fabric, so nothing is picked for the garment until the technician picks.
  await showPanel(page, 'generate');
  const panel = page.getByTestId('panel-variants');
  await page.getByTestId('prompt-text').fill('a navy t-shirt with short sleeves');
  const chooser = panel.getByTestId('garment-swatch');
  await expect(chooser.locator('option:checked')).toHaveText('From the prompt (no swatch found)');
  // The swatches imported a moment ago are offered, read again as the technician comes to the list.
  await chooser.focus();
  await chooser.selectOption({ label: linen });
  await expect(panel.getByTestId('garment-swatch-thumb')).toBeVisible();
  // Its fabric stands in for the one the prompt does not name.
  await expect(panel.getByTestId('chip-fabric')).toHaveAttribute('data-fabric', 'linen');
  fs.mkdirSync(OUTPUT, { recursive: true });
  await panel.screenshot({ path: path.join(OUTPUT, 'garment-swatch.png') });

  await panel.getByTestId('advanced').locator('summary').click();
  await panel.getByTestId('steps-input').fill('4');
  await panel.getByTestId('generate').click();
  await expect(panel.getByTestId('queue-item').first()).toHaveAttribute('data-state', 'succeeded', { timeout: 150_000 });

  await panel.getByTestId('history-tab').click();
  const items = page.getByTestId('history-item');
  await expect(items).toHaveCount(2);
  for (const item of await items.all()) await expect(item.getByTestId('history-swatch')).toHaveText(linen);

  // "Reuse these settings" brings the render's swatch back to the chooser.
  await panel.getByTestId('variants-tab').click();
  await chooser.selectOption({ label: 'No swatch (text only)' });
  await expect(panel.getByTestId('garment-swatch-thumb')).toHaveCount(0);
  await panel.getByTestId('history-tab').click();
  await items.first().getByTestId('history-reuse').click();
  await expect(chooser.locator('option:checked')).toHaveText(linen);

  // The body panel of the flat gets the denim in the properties panel beside the canvas.
  await showPanel(page, 'layers');
  await page.getByTestId('tool-select').click();
  const inside = await toScreen(page, 400, 550);
  await page.mouse.click(inside.x, inside.y);
  const fabric = page.getByTestId('panel-fabric-properties');
  await expect(fabric).toBeVisible();
  await expect(fabric.getByTestId('panel-swatch').locator('option:checked')).toHaveText('None (its drawn colour)');
  await fabric.getByTestId('panel-swatch').focus();
  await fabric.getByTestId('panel-swatch').selectOption({ label: denim });
  await expect(fabric.getByTestId('panel-swatch-thumb')).toBeVisible();
  await expect(page.getByTestId('panel-editor')).toHaveAttribute('data-history', '1/1');
  await page.screenshot({ path: path.join(OUTPUT, 'panel-swatch.png') });
  // One undo step takes it off again.
  await page.getByTestId('undo').click();
  await expect(fabric.getByTestId('panel-swatch').locator('option:checked')).toHaveText('None (its drawn colour)');
});
