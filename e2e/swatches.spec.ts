import fs from 'node:fs';
import path from 'node:path';
import { createProject, electronUnavailable, expect, showPanel, test } from './fixtures';
import { testFixture } from '../src/main/test-fixtures';

/** A seamless fabric tile from the repository's fixtures (test-fixtures/README.md). */
const DENIM_TILE = testFixture('textile_tiles', 'images', 'denim.png');
const BLACK_DENIM_TILE = testFixture('textile_tiles', 'images', 'black_denim.png');

test.skip(({ target }) => target === 'electron' && electronUnavailable() !== null, electronUnavailable() ?? '');

const unique = (label: string) => `${label} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

test('import a swatch, read a Chinese prompt and see its fabric and its conflicts with the flat', async ({ studio: page }) => {
  const project = unique('Denim shirt');
  await createProject(page, project);

  // The flat the prompt is checked against: the T-shirt template (short sleeves, no pockets).
  await page.getByTestId('template-template-t-shirt').click();
  await expect(page.getByTestId('panel-editor')).toHaveClass(/editor--open/);

  // Import the tile; its card shows the tile image, served by whichever transport the page runs on.
  await showPanel(page, 'swatches');
  const swatchName = unique('Washed denim');
  await page.getByTestId('swatch-import-path').fill(DENIM_TILE);
  await page.getByTestId('swatch-import-name').fill(swatchName);
  // Enter submits the form, as a technician would; a click is at the mercy of the side column's layout.
  await page.getByTestId('swatch-import-name').press('Enter');
  const card = page.getByTestId('swatch-card').filter({ hasText: swatchName });
  await expect(card).toHaveCount(1);
  const image = card.locator('img');
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

  await showPanel(page, 'generate');
  await page.getByTestId('prompt-text').fill('藏青色牛仔布长袖衬衫，有口袋');
  const reading = page.getByTestId('prompt-extraction');
  await expect(reading.locator('[data-field="fabric"]')).toContainText(/denim/i);
  await expect(reading.locator('[data-field="colours"]')).toContainText(/navy/i);
  // The project uses the denim swatch just imported, so the prompt's fabric links to it.
  await expect(page.getByTestId('prompt-swatch')).toContainText(swatchName);

  const conflicts = page.getByTestId('prompt-conflicts');
  await expect(conflicts.locator('li[data-field="sleeve"]')).toContainText(/long sleeves.*short sleeves/i);
  await expect(conflicts.locator('li[data-field="pockets"]')).toBeVisible();
  await expect(conflicts.locator('li[data-field="garment"]')).toContainText(/shirt/i);

  await page.screenshot({ path: path.resolve(import.meta.dirname, '../e2e-output/swatches.png') });
});

test('import a swatch photo through the file dialog, straightened and cropped, and see its card', async ({ studio: page }) => {
  const project = unique('Denim jacket');
  await createProject(page, project);
  await showPanel(page, 'swatches');

  // A photo dragged onto the drop zone is taken as the one to import...
  const dropped = [...fs.readFileSync(BLACK_DENIM_TILE)];
  const transfer = await page.evaluateHandle((bytes) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], 'black_denim.png', { type: 'image/png' }));
    return data;
  }, dropped);
  await page.getByTestId('swatch-import-drop').dispatchEvent('drop', { dataTransfer: transfer });
  await expect(page.getByTestId('swatch-import-drop')).toContainText('black_denim.png');

  // ...and one picked in the file dialog replaces it: the page gets the real tile's bytes.
  await page.getByTestId('swatch-import-file').setInputFiles(DENIM_TILE);
  await expect(page.getByTestId('swatch-import-drop')).toContainText('denim.png');
  const swatchName = unique('Picked denim');
  await page.getByTestId('swatch-import-name').fill(swatchName);
  await page.getByTestId('swatch-import-rotate').fill('5');
  await page.getByTestId('swatch-import-crop-left').fill('10');
  await page.getByTestId('swatch-import-crop-top').fill('10');
  await page.getByTestId('swatch-import-crop-width').fill('60');
  await page.getByTestId('swatch-import-crop-height').fill('50');
  // A crop reaching past the photo's right edge is refused in the form, before anything is sent.
  await page.getByTestId('swatch-import-crop-width').fill('95');
  await page.getByTestId('swatch-import-name').press('Enter');
  await expect(page.getByTestId('swatch-import-error')).toContainText(/inside the photo/);
  await page.getByTestId('swatch-import-crop-width').fill('60');
  await page.getByTestId('swatch-import-name').press('Enter');

  await expect(page.getByTestId('swatch-import-error')).toHaveCount(0);
  const card = page.getByTestId('swatch-card').filter({ hasText: swatchName });
  await expect(card).toHaveCount(1);
  const image = card.locator('img');
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  // The picked photo is cleared once imported, ready for the next one.
  await expect(page.getByTestId('swatch-import-drop')).not.toContainText('denim.png');
});
