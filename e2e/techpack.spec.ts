import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { CALLOUT_TEXT_PT, PX_PER_PT } from '../src/shared/techpack/print';
import { createProject, electronUnavailable, expect, test } from './fixtures';

test.skip(({ target }) => target === 'electron' && electronUnavailable() !== null, electronUnavailable() ?? '');

const OUTPUT = path.resolve(import.meta.dirname, '../e2e-output');

test('fill the tech-pack cover, fix what preflight names, and export a PDF', async ({ studio: page, target }) => {
  test.setTimeout(180_000);
  const name = `Tech pack ${Date.now().toString(36)}`;
  await createProject(page, name);
  await page.getByTestId('workspace-tab-techpack').click();

  // An empty tech pack: preflight names the missing style number and measurements, and export is refused.
  const issues = page.getByTestId('techpack-issues');
  await expect(issues).toContainText('The cover has no style number.', { timeout: 60_000 });
  await expect(issues).toContainText('no points of measure');
  await expect(issues).toContainText('The bill of materials is empty.');
  await expect(issues).toContainText('The tech pack has no colorway.');
  await page.getByTestId('techpack-export').click();
  await expect(page.getByTestId('techpack-error')).toContainText('cannot be exported yet', { timeout: 60_000 });

  await page.getByTestId('techpack-styleNumber').fill('JX-E2E-01');
  await page.getByTestId('techpack-name').fill('Brocade jacket 织锦夹克');
  await page.getByTestId('techpack-brand').fill('Jinxiu 锦绣');
  await page.getByTestId('techpack-pom-add').click();
  const pom = page.getByTestId('techpack-pom-row').first();
  await pom.getByLabel('Code').fill('CH');
  await pom.getByLabel('Description').fill('Chest width 胸围');
  await pom.getByLabel('Base value').fill('52.5');
  await pom.getByLabel('Tol. ±').fill('1');
  // A colorway, a hand-typed BOM row, a graded size range and a construction note.
  await page.getByTestId('techpack-colorway-add').click();
  await page.getByTestId('techpack-colorway').first().getByLabel('Colorway name').fill('Indigo 靛蓝');
  await page.getByTestId('techpack-bom-add').click();
  const bom = page.getByTestId('techpack-bom-row').first();
  await bom.getByLabel('Material').fill('Polyester thread 涤纶线');
  await bom.getByLabel('Placement').fill('All seams');
  await bom.getByLabel('Qty').fill('120 m');
  await page.getByTestId('techpack-sizes').fill('S, M, L');
  await page.getByTestId('techpack-base-size').selectOption('M');
  await page.getByTestId('techpack-grade-add').click();
  const grade = page.getByTestId('techpack-grade-row').first();
  await expect(grade.getByLabel('POM code')).toHaveValue('CH');
  await grade.getByLabel('Increments').fill('2');
  await page.getByTestId('techpack-note-add').click();
  const note = page.getByTestId('techpack-note').first();
  await note.getByLabel('Title').fill('Side seam');
  await note.getByLabel('Instruction').fill('Overlock 4-thread, press open 劈缝.');
  await page.getByTestId('techpack-revisionNote').fill('First issue');
  await page.getByTestId('techpack-save').click();
  await expect(page.getByTestId('techpack-issues')).not.toContainText('no style number', { timeout: 60_000 });
  // Preflight now sees the colorway (still without a render) and a non-empty BOM.
  await expect(page.getByTestId('techpack-issues')).toContainText('Colorway "Indigo 靛蓝" has no chosen render.');
  await expect(page.getByTestId('techpack-issues')).not.toContainText('The bill of materials is empty.');
  await expect(page.getByTestId('techpack-issues')).not.toContainText('no colorway');
  await page.getByTestId('techpack-colorway').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(OUTPUT, `techpack-editors-${target}.png`) });
  await expect(page.getByTestId('techpack-preview')).toBeVisible({ timeout: 60_000 });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-e2e-techpack-'));
  const pdf = path.join(dir, 'techpack.pdf');
  await page.getByTestId('techpack-out').fill(pdf);
  await page.getByTestId('techpack-export').click();
  await expect(page.getByTestId('techpack-result')).toContainText('Revision 1', { timeout: 60_000 });
  await expect(page.getByTestId('techpack-revisions')).toContainText('First issue');
  await page.screenshot({ path: path.join(OUTPUT, `techpack-${target}.png`), fullPage: true });

  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  expect(text).toContain('织锦夹克');
  expect(text).toContain('JX-E2E-01');
  expect(text).toContain('52.5');
  // Graded one step of 2 cm either side of the base size M.
  expect(text).toContain('50.5');
  expect(text).toContain('54.5');
  expect(text).toContain('涤纶线');
  expect(text).toContain('Side seam');
  expect(text).toContain('Indigo');
  fs.rmSync(dir, { recursive: true, force: true });
});

async function newProject(page: Page, label: string): Promise<void> {
  const name = `${label} ${Date.now().toString(36)}`;
  await createProject(page, name);
}

test('the sheet preview and preflight follow the form as it is typed, without Save, and a link lands on the field to fix', async ({ studio: page, target }) => {
  test.setTimeout(120_000);
  await newProject(page, 'Live preview');
  await page.getByTestId('workspace-tab-techpack').click();
  const issues = page.getByTestId('techpack-issues');
  const preview = page.getByTestId('techpack-preview');
  await expect(issues).toContainText('The cover has no style number.', { timeout: 60_000 });
  await expect(preview).toHaveAttribute('data-updating', 'false', { timeout: 60_000 });
  const before = await preview.getAttribute('src');

  // Typed, not saved: the preflight drops the missing style number and the cover sheet shows the new one.
  await page.getByTestId('techpack-styleNumber').fill('JX-LIVE-01');
  await page.getByTestId('techpack-name').fill('Live jacket 实时预览');
  await expect(issues).not.toContainText('no style number', { timeout: 30_000 });
  await expect(preview).toHaveAttribute('data-updating', 'false');
  expect(await preview.getAttribute('src')).not.toBe(before);

  // A measurement row typed with a comma: preflight names the field, the picture stays the last one drawn.
  await page.getByTestId('techpack-pom-add').click();
  const pom = page.getByTestId('techpack-pom-row').first();
  await pom.getByLabel('Base value').fill('52,5');
  await expect(issues).toContainText('pom.rows.0.value: A measurement is a decimal number such as 1.5.', { timeout: 30_000 });
  await expect(page.getByTestId('techpack-preview-stale')).toBeVisible();
  await page.screenshot({ path: path.join(OUTPUT, `techpack-live-invalid-${target}.png`) });
  // Its link lands on the row's field, which fixes it.
  await issues.locator('li', { hasText: 'pom.rows.0.value' }).getByRole('button').click();
  await expect(pom.getByLabel('Code')).toBeFocused();
  await pom.getByLabel('Base value').fill('52.5');
  await expect(issues).not.toContainText('pom.rows.0.value', { timeout: 30_000 });
  await expect(page.getByTestId('techpack-preview-stale')).toHaveCount(0);
  await expect(issues).not.toContainText('no points of measure');
  await page.screenshot({ path: path.join(OUTPUT, `techpack-live-${target}.png`) });

  // Nothing was saved: the project's stored tech pack still has no style number.
  await page.getByTestId('workspace-tab-design').click();
  await page.getByTestId('workspace-tab-techpack').click();
  await expect(page.getByTestId('techpack-styleNumber')).toHaveValue('', { timeout: 30_000 });
});

/** Height in pixels of the dark (text) rows of a page region; the text's ink from its tallest letter's top to its baseline. */
async function inkHeight(page: Page, clip: { x: number; y: number; width: number; height: number }): Promise<number> {
  const png = PNG.sync.read(await page.screenshot({ clip }));
  const rows: number[] = [];
  for (let y = 0; y < png.height; y++)
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      if (png.data[i]! + png.data[i + 1]! + png.data[i + 2]! < 3 * 110) {
        rows.push(y);
        break;
      }
    }
  return rows.length ? rows.at(-1)! - rows[0]! + 1 : 0;
}

test('callout text reads at its print size in the editor, at Fit and zoomed in', async ({ studio: page, target }) => {
  test.setTimeout(120_000);
  await newProject(page, 'Callout size');
  await page.getByTestId('template-blank').click();
  const frame = page.getByTestId('editor-canvas');
  await expect(frame).toHaveAttribute('data-viewport', /,/);
  const toScreen = async (x: number, y: number) => {
    const v = (await frame.getAttribute('data-viewport'))!.split(',').map(Number);
    const box = (await frame.boundingBox())!;
    return { x: box.x + v[0]! * x + v[4]!, y: box.y + v[3]! * y + v[5]! };
  };
  // A callout pointing at (400, 500), its note written at (520, 600).
  await page.keyboard.press('n');
  const a = await toScreen(400, 500);
  const b = await toScreen(520, 600);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByLabel('Text of the note')).toBeVisible();
  await page.getByLabel('Text of the note').fill('BARTACK 3 MM');
  await page.getByLabel('Text of the note').press('Enter');
  await page.keyboard.press('v');
  const empty = await toScreen(100, 100);
  await page.mouse.click(empty.x, empty.y);

  // Capitals from the baseline up: about 0.73 em of the print size in CSS pixels.
  const capsPx = CALLOUT_TEXT_PT * PX_PER_PT * 0.73;
  const measured = async () => {
    const at = await toScreen(520, 600);
    return inkHeight(page, { x: at.x + 3, y: at.y - 30, width: 140, height: 34 });
  };
  const zoom = async () => Number((await frame.getAttribute('data-viewport'))!.split(',')[0]);
  const fitZoom = await zoom();
  expect(fitZoom).toBeLessThan(1);
  await expect.poll(measured, { timeout: 10_000 }).toBeGreaterThan(capsPx - 2);
  const atFit = await measured();
  expect(atFit).toBeLessThan(capsPx + 2);
  await page.screenshot({ path: path.join(OUTPUT, `callout-fit-${target}.png`) });

  for (let i = 0; i < 4; i++) await page.keyboard.press('Control+=');
  await expect.poll(zoom).toBeGreaterThan(fitZoom * 2);
  await expect.poll(measured, { timeout: 10_000 }).toBeGreaterThan(capsPx - 2);
  expect(Math.abs((await measured()) - atFit)).toBeLessThanOrEqual(1);
  await page.screenshot({ path: path.join(OUTPUT, `callout-zoomed-${target}.png`) });
});
