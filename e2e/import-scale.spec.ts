import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { importSvg } from '../src/shared/flat/svg';
import { anchorPoint } from '../src/shared/flat/geometry/path';
import type { Shape } from '../src/shared/flat/schema';
import { testFixture } from '../src/main/test-fixtures';
import { createProject, electronUnavailable, expect, test } from './fixtures';

const OUTPUT = path.resolve(import.meta.dirname, '../e2e-output');
/** Two tees side by side, no names and no physical units: 220 px from shoulder to hem on a px page. */
const TWO_VIEWS = testFixture('flat_views', 'side-by-side.svg');

test.skip(({ target }) => target === 'electron' && electronUnavailable() !== null, electronUnavailable() ?? '');

const editor = (page: Page) => page.getByTestId('panel-editor');

/** Page coordinates of a document point, from the viewport the canvas publishes. */
async function click(page: Page, x: number, y: number): Promise<void> {
  const frame = page.getByTestId('editor-canvas');
  const vpt = (await frame.getAttribute('data-viewport'))!.split(',').map(Number);
  const box = (await frame.boundingBox())!;
  await page.mouse.click(box.x + vpt[0]! * x + vpt[2]! * y + vpt[4]!, box.y + vpt[1]! * x + vpt[3]! * y + vpt[5]!);
}

test('import a two-view SVG at a known body length, calibrate it, and find the graded POM in the tech pack', async ({ studio: page, target }) => {
  test.setTimeout(180_000);
  const name = `Tee scale ${Date.now().toString(36)}`;
  await createProject(page, name);

  // The form says what it found and asks for the garment's size, prefilled from the T-shirt template.
  await page.getByTestId('flat-import-input').setInputFiles(TWO_VIEWS);
  await expect(page.getByTestId('import-form')).toBeVisible();
  await expect(page.getByTestId('import-views-found')).toHaveText('Found two garments side by side: the left one is the front.');
  await expect(page.getByTestId('import-view')).toHaveCount(2);
  await page.getByTestId('import-kind').selectOption('t-shirt');
  await expect(page.getByTestId('import-measurement')).toHaveValue('bodyLength');
  await expect(page.getByTestId('import-cm')).toHaveValue('70');
  await page.getByTestId('import-cm').fill('0.2');
  await expect(page.getByTestId('import-cm-error')).toHaveText('Give a length of 1 to 500 cm.');
  await expect(page.getByTestId('import-confirm')).toBeDisabled();
  await page.getByTestId('import-cm').fill('68');
  fs.mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: path.join(OUTPUT, `import-form-${target}.png`) });
  await page.getByTestId('import-confirm').click();

  await expect(page.getByTestId('flat-switch')).toContainText('side-by-side');
  await expect(page.getByTestId('view-front')).toBeVisible();
  await expect(page.getByTestId('view-back')).toBeVisible();

  // A point of measure from the left shoulder point straight down to the hem: the body length.
  const outline = importSvg(fs.readFileSync(TWO_VIEWS, 'utf8'), { views: 'auto' }).doc.views[0]!.items[0] as Shape;
  const [hps, hem] = [anchorPoint(outline.segments, 0)!, anchorPoint(outline.segments, 8)!];
  await page.getByTestId('tool-measure').click();
  await click(page, hps.x, hps.y);
  await click(page, hem.x, hem.y);
  await expect(page.getByTestId('pom-row')).toHaveCount(1);
  await expect(page.getByTestId('pom-row')).toContainText('68 cm');

  // The garment turns out 74 cm long: calibrating by that point of measure rescales the flat.
  await page.getByTestId('flat-calibrate').click();
  const source = page.getByTestId('calibrate-source');
  await source.selectOption((await source.locator('option', { hasText: 'P1' }).getAttribute('value'))!);
  await expect(page.getByTestId('calibrate-cm')).toHaveValue('68');
  await page.getByTestId('calibrate-cm').fill('74');
  await expect(page.getByTestId('calibrate-effect')).toContainText('multiplied by 1.09');
  await page.getByTestId('calibrate-apply').click();
  await expect(page.getByTestId('calibrate-form')).toHaveCount(0);
  await expect(page.getByTestId('pom-row')).toContainText('74 cm');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('pom-row')).toContainText('68 cm');
  await page.getByTestId('redo').click();
  await expect(page.getByTestId('pom-row')).toContainText('74 cm');
  await expect(editor(page)).toHaveAttribute('data-save-status', 'saved');
  await page.screenshot({ path: path.join(OUTPUT, `import-calibrated-${target}.png`) });

  // The tech pack grades the flat's POM at the calibrated scale: 2 cm a size either side of M.
  await page.getByTestId('workspace-tab-techpack').click();
  await page.getByTestId('techpack-styleNumber').fill('JX-SCALE-01');
  await page.getByTestId('techpack-sizes').fill('S, M, L');
  await page.getByTestId('techpack-base-size').selectOption('M');
  await page.getByTestId('techpack-grade-add').click();
  const grade = page.getByTestId('techpack-grade-row').first();
  await grade.getByLabel('POM code').fill('P1');
  await grade.getByLabel('Increments').fill('2');
  await page.getByTestId('techpack-save').click();
  await expect(page.getByTestId('techpack-issues')).not.toContainText('no style number', { timeout: 60_000 });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-e2e-scale-'));
  const pdf = path.join(dir, 'techpack.pdf');
  await page.getByTestId('techpack-out').fill(pdf);
  await page.getByTestId('techpack-export').click();
  await expect(page.getByTestId('techpack-result')).toContainText('Revision 1', { timeout: 60_000 });
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  expect(text).toMatch(/P1\b.*\b72\.0\s+74\.0\s+76\.0\b/);
  fs.rmSync(dir, { recursive: true, force: true });
});
