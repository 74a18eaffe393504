import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { electronUnavailable, expect, test } from './fixtures';

test.skip(({ target }) => target === 'electron' && electronUnavailable() !== null, electronUnavailable() ?? '');

const OUTPUT = path.resolve(import.meta.dirname, '../e2e-output');

test('fill the tech-pack cover, fix what preflight names, and export a PDF', async ({ studio: page, target }) => {
  test.setTimeout(180_000);
  const name = `Tech pack ${Date.now().toString(36)}`;
  await page.getByTestId('create-project-name').fill(name);
  await page.getByTestId('create-project-submit').click();
  const row = page.getByTestId('project-row').filter({ has: page.getByTestId('project-name').getByText(name, { exact: true }) });
  await row.getByTestId('project-open').click();
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
