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
  await page.getByTestId('techpack-revisionNote').fill('First issue');
  await page.getByTestId('techpack-save').click();
  await expect(page.getByTestId('techpack-issues')).not.toContainText('no style number', { timeout: 60_000 });
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
  fs.rmSync(dir, { recursive: true, force: true });
});
