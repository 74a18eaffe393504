import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { importSvg } from '../src/shared/flat/svg';
import { anchorPoint } from '../src/shared/flat/geometry/path';
import type { Shape } from '../src/shared/flat/schema';
import { testFixture } from '../src/main/test-fixtures';
import { createProject, electronUnavailable, expect, showPanel, test } from './fixtures';

const OUTPUT = path.resolve(import.meta.dirname, '../e2e-output');
/** Two tees side by side, no names and no physical units: 220 px from shoulder to hem on a px page. */
const TWO_VIEWS = testFixture('flat_views', 'side-by-side.svg');
const LINEN_TILE = testFixture('textile_tiles', 'images', 'linen.png');

test.skip(({ target }) => target === 'electron' && electronUnavailable() !== null, electronUnavailable() ?? '');

const unique = (label: string) => `${label} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
const editor = (page: Page) => page.getByTestId('panel-editor');

/** Page coordinates of a document point, from the viewport the canvas publishes. */
async function toScreen(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const frame = page.getByTestId('editor-canvas');
  const vpt = (await frame.getAttribute('data-viewport'))!.split(',').map(Number);
  const box = (await frame.boundingBox())!;
  return { x: box.x + vpt[0]! * x + vpt[2]! * y + vpt[4]!, y: box.y + vpt[1]! * x + vpt[3]! * y + vpt[5]! };
}

/** The tee imported at 68 cm from shoulder to hem, and a point of measure taken along that line. */
async function importedTee(page: Page): Promise<{ hps: { x: number; y: number }; hem: { x: number; y: number } }> {
  await page.getByTestId('flat-import-input').setInputFiles(TWO_VIEWS);
  await page.getByTestId('import-kind').selectOption('t-shirt');
  await page.getByTestId('import-cm').fill('68');
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('flat-switch')).toContainText('side-by-side');
  const outline = importSvg(fs.readFileSync(TWO_VIEWS, 'utf8'), { views: 'auto' }).doc.views[0]!.items[0] as Shape;
  const [hps, hem] = [anchorPoint(outline.segments, 0)!, anchorPoint(outline.segments, 8)!];
  await page.getByTestId('tool-measure').click();
  for (const p of [hps, hem]) {
    const at = await toScreen(page, p.x, p.y);
    await page.mouse.click(at.x, at.y);
  }
  await expect(page.getByTestId('pom-row')).toContainText('68 cm');
  await page.getByTestId('tool-select').click();
  return { hps, hem };
}

test('calibrate by clicking two points on the flat: a hint while it waits, Esc gives up, one undoable command', async ({ studio: page, target }) => {
  test.setTimeout(120_000);
  await createProject(page, unique('Tee two points'));
  const { hps, hem } = await importedTee(page);
  const history = await editor(page).getAttribute('data-history');

  // Esc while the studio waits for the clicks: the hint goes, nothing changed, the form does not come back.
  await page.getByTestId('flat-calibrate').click();
  await page.getByTestId('calibrate-pick').click();
  await expect(page.getByTestId('calibrate-form')).toHaveCount(0);
  await expect(page.getByTestId('calibrate-hint')).toHaveText(/click two points whose real distance you know/);
  await expect(page.getByTestId('editor-canvas')).toHaveAttribute('data-calibrate-pick', 'first');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('calibrate-hint')).toHaveCount(0);
  await expect(page.getByTestId('editor-canvas')).not.toHaveAttribute('data-calibrate-pick', /./);
  await expect(page.getByTestId('calibrate-form')).toHaveCount(0);
  await expect(editor(page)).toHaveAttribute('data-history', history!);

  // Two clicks a few pixels off the shoulder point and the hem: each snaps onto the path point, so
  // their distance is the 68 cm the point of measure reads.
  await page.getByTestId('flat-calibrate').click();
  await page.getByTestId('calibrate-pick').click();
  const first = await toScreen(page, hps.x, hps.y);
  await page.mouse.click(first.x + 3, first.y - 2);
  await expect(page.getByTestId('editor-canvas')).toHaveAttribute('data-calibrate-pick', 'second');
  const second = await toScreen(page, hem.x, hem.y);
  await page.mouse.move(second.x - 40, second.y - 60);
  fs.mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: path.join(OUTPUT, `calibrate-two-points-${target}.png`) });
  // The select tool was active: the clicks picked points, they did not select the outline.
  await page.mouse.click(second.x - 2, second.y + 3);
  await expect(page.getByTestId('calibrate-form')).toBeVisible();
  await expect(page.getByTestId('calibrate-hint')).toHaveCount(0);
  await expect(page.getByTestId('calibrate-source').locator('option:checked')).toHaveText('Between the two points clicked (now 68 cm)');
  await expect(page.getByTestId('calibrate-cm')).toHaveValue('68');
  await page.getByTestId('calibrate-cm').fill('74');
  await expect(page.getByTestId('calibrate-effect')).toContainText('multiplied by 1.09');
  await page.getByTestId('calibrate-apply').click();
  await expect(page.getByTestId('calibrate-form')).toHaveCount(0);
  await expect(page.getByTestId('pom-row')).toContainText('74 cm');
  // One command (history cursor/entries): one step on, one undo puts the scale back, redo applies it again.
  const steps = Number(history!.split('/')[0]);
  await expect(editor(page)).toHaveAttribute('data-history', `${steps + 1}/${steps + 1}`);
  await page.getByTestId('undo').click();
  await expect(editor(page)).toHaveAttribute('data-history', `${steps}/${steps + 1}`);
  await expect(page.getByTestId('pom-row')).toContainText('68 cm');
  await page.getByTestId('redo').click();
  await expect(page.getByTestId('pom-row')).toContainText('74 cm');
  await expect(editor(page)).toHaveAttribute('data-save-status', 'saved');
});

test("the garment's swatch comes back after Projects and after a reload, with the prompt", async ({ studio: page, target }) => {
  test.setTimeout(120_000);
  const name = unique('Linen shirt');
  await createProject(page, name);
  await page.getByTestId('template-template-t-shirt').click();
  await expect(page.getByTestId('editor-canvas')).toHaveAttribute('data-viewport', /,/);
  const linen = unique('Washed linen');
  await showPanel(page, 'swatches');
  await page.getByTestId('swatch-import-path').fill(LINEN_TILE);
  await page.getByTestId('swatch-import-name').fill(linen);
  await page.getByTestId('swatch-import-category').selectOption('linen');
  await page.getByTestId('swatch-import-name').press('Enter');
  await expect(page.getByTestId('swatch-card').filter({ hasText: linen })).toHaveCount(1);

  await showPanel(page, 'generate');
  const prompt = 'a relaxed t-shirt with short sleeves';
  await page.getByTestId('prompt-text').fill(prompt);
  const chooser = () => page.getByTestId('panel-variants').getByTestId('garment-swatch');
  await chooser().focus();
  await chooser().selectOption({ label: linen });
  await expect(page.getByTestId('chip-fabric')).toHaveAttribute('data-fabric', 'linen');

  const expectKept = async () => {
    await showPanel(page, 'generate');
    await expect(page.getByTestId('prompt-text')).toHaveValue(prompt);
    await expect(chooser().locator('option:checked')).toHaveText(linen);
    // Kept as the choice it was, so its fabric still stands in for the one the prompt leaves out.
    await expect(page.getByTestId('chip-fabric')).toHaveAttribute('data-fabric', 'linen');
    await expect(page.getByTestId('panel-variants').getByTestId('garment-swatch-thumb')).toBeVisible();
  };
  const open = () => page.getByTestId('project-row').filter({ has: page.getByTestId('project-name').getByText(name, { exact: true }) }).getByTestId('project-open').click();

  await page.getByTestId('nav-library').click();
  await open();
  await expectKept();
  await page.reload();
  await open();
  await expectKept();
  await page.screenshot({ path: path.join(OUTPUT, `garment-swatch-kept-${target}.png`) });

  // "No swatch" is a choice of its own and is kept as well.
  await chooser().selectOption({ label: 'No swatch (text only)' });
  await page.reload();
  await open();
  await showPanel(page, 'generate');
  await expect(chooser().locator('option:checked')).toHaveText('No swatch (text only)');
});

test("a flat calibrated to a page of metres exports from the editor's Export PNG at a print scale, not refused", async ({ studio: page }) => {
  test.setTimeout(120_000);
  await createProject(page, unique('Giant tee'));
  // 220 px from shoulder to hem given as 5 m: the 460 x 260 px page becomes about 10.5 x 5.9 m,
  // some 61700 x 34900 px at the editor's 150 dpi of real size.
  await page.getByTestId('flat-import-input').setInputFiles(TWO_VIEWS);
  await page.getByTestId('import-kind').selectOption('t-shirt');
  await page.getByTestId('import-cm').fill('500');
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('flat-switch')).toContainText('side-by-side');
  await expect(editor(page)).toHaveAttribute('data-save-status', 'saved');
  const history = await editor(page).getAttribute('data-history');
  let alerted: string | null = null;
  page.on('dialog', (d) => {
    alerted = d.message();
    void d.dismiss();
  });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('flat-export-png').click()]);
  const scale = Number(/-1to(\d+)\.png$/.exec(download.suggestedFilename())?.[1]);
  expect(download.suggestedFilename()).toMatch(/^side-by-side-front-1to\d+\.png$/);
  expect([2, 5, 10, 20, 50, 100]).toContain(scale);
  const png = fs.readFileSync((await download.path())!);
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  expect(width * height).toBeLessThanOrEqual(64_000_000);
  // Reduced to 1:scale, the page is still drawn at print resolution: thousands of pixels wide.
  expect(width).toBeGreaterThan(2000);
  expect(alerted).toBeNull();
  // An export changes nothing of the flat.
  await expect(editor(page)).toHaveAttribute('data-history', history!);
});
