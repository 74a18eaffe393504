import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { electronUnavailable, expect, test } from './fixtures';

const OUTPUT = path.resolve(import.meta.dirname, '../e2e-output');

test.skip(({ target }) => target === 'electron' && electronUnavailable() !== null, electronUnavailable() ?? '');

/** Names unique per run and target, since one library serves the whole run. */
const unique = (label: string) => `${label} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

const rowNamed = (page: Page, name: string): Locator =>
  page.getByTestId('project-row').filter({ has: page.getByTestId('project-name').getByText(name, { exact: true }) });

/** Creating a project opens it; its row is in the library once the technician goes back there. */
async function createProject(page: Page, name: string): Promise<Locator> {
  await page.getByTestId('create-project-name').fill(name);
  await page.getByTestId('create-project-submit').click();
  await expect(page.getByTestId('workspace-title')).toHaveText(name);
  await expect(page.getByTestId('topbar-project-name')).toHaveText(name);
  await page.getByTestId('nav-library').click();
  const row = rowNamed(page, name);
  await expect(row).toHaveCount(1);
  return row;
}

test('create, reload, rename and delete a project', async ({ studio: page }) => {
  const name = unique('Qipao blouse');
  const renamed = unique('Qipao blouse, silk');

  await createProject(page, name);
  await expect(page.getByTestId('create-project-name')).toHaveValue('');

  // What is listed after a reload came from the library, not from the page's memory.
  await page.reload();
  const row = rowNamed(page, name);
  await expect(row).toHaveCount(1);

  await row.getByTestId('project-rename').click();
  const input = page.getByTestId('project-rename-input');
  await expect(input).toHaveValue(name);
  await input.fill(renamed);
  await page.getByTestId('project-rename-save').click();
  await expect(rowNamed(page, renamed)).toHaveCount(1);
  await expect(rowNamed(page, name)).toHaveCount(0);

  await page.reload();
  const renamedRow = rowNamed(page, renamed);
  await expect(renamedRow).toHaveCount(1);

  // Cancelling the confirmation keeps the project.
  await renamedRow.getByTestId('project-delete').click();
  await renamedRow.getByTestId('project-delete-cancel').click();
  await expect(renamedRow).toHaveCount(1);

  await renamedRow.getByTestId('project-delete').click();
  await renamedRow.getByTestId('project-delete-confirm').click();
  await expect(rowNamed(page, renamed)).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('project-list').or(page.getByTestId('library-empty'))).toBeVisible();
  await expect(rowNamed(page, renamed)).toHaveCount(0);
});

test('an empty name is refused with the contract message and nothing is created', async ({ studio: page }) => {
  await expect(page.getByTestId('project-count')).toBeVisible();
  const before = await page.getByTestId('project-row').count();

  await page.getByTestId('create-project-name').fill('   ');
  await page.getByTestId('create-project-submit').click();
  await expect(page.getByTestId('create-project-error')).toContainText('A project needs a name.');

  await page.reload();
  await expect(page.getByTestId('project-count')).toBeVisible();
  await expect(page.getByTestId('project-row')).toHaveCount(before);
});

test('a rename to an empty name shows the error and keeps the old name', async ({ studio: page }) => {
  const name = unique('Mamianqun skirt');
  const row = await createProject(page, name);
  await row.getByTestId('project-rename').click();
  // While renaming, the row holds the input instead of the name.
  const editing = page.getByTestId('project-row').filter({ has: page.getByTestId('project-rename-input') });
  await page.getByTestId('project-rename-input').fill('');
  await page.getByTestId('project-rename-save').click();
  await expect(editing.getByTestId('project-error')).toContainText('A project needs a name.');
  await page.getByTestId('project-rename-cancel').click();

  await page.reload();
  await expect(rowNamed(page, name)).toHaveCount(1);
});

test('the language switch changes the UI and persists across a reload', async ({ studio: page }) => {
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();

  await page.getByTestId('language-zh').click();
  await expect(page.getByRole('heading', { level: 1, name: '项目' })).toBeVisible();
  await expect(page.getByTestId('create-project-submit')).toHaveText('新建项目');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '项目' })).toBeVisible();
  await expect(page.getByTestId('language-zh')).toHaveAttribute('aria-pressed', 'true');

  await page.getByTestId('language-en').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('create-project-submit')).toHaveText('Create project');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('opening a project shows the working layout', async ({ studio: page, target }) => {
  // A CSP violation or a failed load shows up as a console error.
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.reload();

  const name = unique('Brocade jacket');
  const row = await createProject(page, name);
  await row.getByTestId('project-delete').click();
  await page.screenshot({ path: path.join(OUTPUT, `library-${target}.png`) });
  await row.getByTestId('project-delete-cancel').click();
  await row.getByTestId('project-open').click();

  await expect(page.getByTestId('workspace')).toBeVisible();
  await expect(page.getByTestId('topbar-project-name')).toHaveText(name);
  await expect(page.getByTestId('workspace-title')).toHaveText(name);
  await expect(page.getByTestId('panel-editor')).toBeVisible();
  // Beside the editor, one panel at a time: the flat's layers, the prompt with Generate, swatches, motifs.
  for (const [tab, region] of [['generate', 'variants'], ['swatches', 'swatches'], ['motifs', 'motifs'], ['layers', 'editor']] as const) {
    await page.getByTestId(`dock-tab-${tab}`).click();
    await expect(page.getByTestId(`panel-${region}`)).toBeVisible();
  }
  await expect(page.getByTestId('dock-pane-layers')).toBeVisible();
  await page.screenshot({ path: path.join(OUTPUT, `working-layout-${target}.png`) });

  await page.getByTestId('workspace-tab-techpack').click();
  await expect(page.getByTestId('panel-techpack')).toBeVisible();
  await expect(page.getByTestId('panel-editor')).toHaveCount(0);

  await page.getByTestId('nav-library').click();
  await expect(rowNamed(page, name)).toHaveCount(1);
  expect(problems).toEqual([]);
});

test.describe('with a Chinese browser and no saved choice', () => {
  test.use({ locale: 'zh-CN' });

  test('the studio starts in Chinese', async ({ studio: page, target }) => {
    test.skip(target === 'electron', 'The browser locale is a browser-context setting; Electron takes it from the OS.');
    await expect(page.getByRole('heading', { level: 1, name: '项目' })).toBeVisible();
    await page.getByTestId('nav-models').click();
    await expect(page.getByTestId('panel-models').getByRole('heading', { level: 1 })).toHaveText('模型包');
    await page.screenshot({ path: path.join(OUTPUT, 'models-zh.png') });
  });
});

test.describe('without a valid token', () => {
  test('a wrong token shows the load error with a retry, no token shows how to connect', async ({ studio: page, target }) => {
    test.skip(target === 'electron', 'Electron talks over IPC; tokens belong to the browser bridge.');
    const origin = new URL(page.url()).origin;

    // Only the fragment changes, which does not load the page again by itself.
    await page.goto(`${origin}/#token=not-the-token`);
    await page.reload();
    await expect(page.getByTestId('library-error')).toContainText('The projects could not be loaded.');
    await expect(page.getByTestId('library-error')).toContainText('Lost the connection');
    await page.getByTestId('library-retry').click();
    await expect(page.getByTestId('library-error')).toBeVisible();

    await page.goto(`${origin}/`);
    await page.reload();
    await expect(page.getByTestId('no-connection')).toContainText('npm run studio');
  });
});
