import path from 'node:path';
import { createProject, electronUnavailable, expect, showPanel, test } from './fixtures';
import { testFixture } from '../src/main/test-fixtures';

/** A seamless fabric tile from the repository's fixtures (test-fixtures/README.md). */
const DENIM_TILE = testFixture('textile_tiles', 'images', 'denim.png');

test.skip(({ target }) => target === 'electron' && electronUnavailable() !== null, electronUnavailable() ?? '');

const unique = (label: string) => `${label} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

test('the side column takes clicks on Import, and the prompt fields, text and chips stay in step', async ({ studio: page }) => {
  const project = unique('Prompt fields');
  await createProject(page, project);

  await page.screenshot({ path: path.resolve(import.meta.dirname, '../e2e-output/prompt-side.png') });
  // A real click on Import (the e2e once found the prompt box lying over it at 1440x900).
  await showPanel(page, 'swatches');
  const swatchName = unique('Washed denim');
  await page.getByTestId('swatch-import-path').fill(DENIM_TILE);
  await page.getByTestId('swatch-import-name').fill(swatchName);
  await page.getByTestId('swatch-import-submit').click();
  await expect(page.getByTestId('swatch-card').filter({ hasText: swatchName })).toHaveCount(1);

  // Free text moves the fields.
  await showPanel(page, 'generate');
  const text = page.getByTestId('prompt-text');
  await text.fill('Navy denim jacket, long sleeves');
  await expect(page.getByTestId('prompt-field-fabric')).toHaveValue('denim');
  await expect(page.getByTestId('prompt-field-colour')).toHaveValue('navy');
  await expect(page.getByTestId('prompt-field-garment')).toHaveValue('jacket');
  await expect(page.getByTestId('prompt-details')).toHaveValue('long sleeves');

  // A field rewrites exactly its words in the text, and the extraction follows.
  await page.getByTestId('prompt-field-fabric').selectOption('corduroy');
  await expect(text).toHaveValue('Navy corduroy jacket, long sleeves');
  await expect(page.getByTestId('prompt-extraction').locator('[data-field="fabric"]')).toContainText(/corduroy/i);
  // An attribute the text never named is appended.
  await page.getByTestId('prompt-field-fit').selectOption('slim');
  await expect(text).toHaveValue('Navy corduroy jacket, long sleeves, slim fit');

  // Correct a chip: the colour becomes burgundy, marked as a correction, and the text says so.
  await page.getByTestId('prompt-chip-colour').click();
  await page.getByTestId('prompt-chip-select-colour').selectOption('burgundy');
  await expect(text).toHaveValue('burgundy corduroy jacket, long sleeves, slim fit');
  await expect(page.getByTestId('prompt-chip-colour')).toContainText(/burgundy/i);
  await expect(page.locator('.prompt__chip--corrected[data-field="colour"]')).toBeVisible();
  await expect(page.getByTestId('prompt-field-colour')).toHaveValue('burgundy');
  await page.screenshot({ path: path.resolve(import.meta.dirname, '../e2e-output/prompt.png') });

  // Reset puts back what the text said.
  await page.getByTestId('prompt-chip-reset-colour').click();
  await expect(text).toHaveValue('navy corduroy jacket, long sleeves, slim fit');
  await expect(page.locator('.prompt__chip--corrected')).toHaveCount(0);

  // Remove through the chip: the fit goes from the text with its separator.
  await page.getByTestId('prompt-chip-fit').click();
  await page.getByTestId('prompt-chip-remove-fit').click();
  await expect(text).toHaveValue('navy corduroy jacket, long sleeves');
  await expect(page.getByTestId('prompt-chip-fit')).toContainText(/removed/i);

  // Chinese text is rewritten in Chinese.
  await text.fill('藏青色牛仔布长袖衬衫，有口袋');
  await expect(page.getByTestId('prompt-field-fabric')).toHaveValue('denim');
  await page.getByTestId('prompt-field-fabric').selectOption('linen');
  await expect(text).toHaveValue('藏青色亚麻长袖衬衫，有口袋');
});
