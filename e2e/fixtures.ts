import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { _electron, expect, test as base, type ElectronApplication, type Page } from '@playwright/test';
import { testFixture } from '../src/main/test-fixtures';

export type Target = 'browser' | 'electron';

const ROOT = path.resolve(import.meta.dirname, '..');
const MAIN_BUNDLE = path.join(ROOT, 'out/main/index.js');

/** The Electron binary's path when one is installed; the npm package throws or points nowhere otherwise. */
function electronBinary(): string | null {
  try {
    const found: unknown = createRequire(import.meta.url)('electron');
    return typeof found === 'string' && fs.existsSync(found) ? found : null;
  } catch {
    return null;
  }
}

/** Why the Electron run cannot happen here, or null when it can. */
export function electronUnavailable(): string | null {
  if (!electronBinary()) {
    return 'No Electron binary is installed (require("electron") has no existing path; npm installs ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1), so the Electron run is skipped.';
  }
  if (!fs.existsSync(MAIN_BUNDLE)) return `The main bundle ${MAIN_BUNDLE} is missing (npx electron-vite build did not complete), so the Electron run is skipped.`;
  return null;
}

/**
 * What the specs read and write by path (swatch photos, tech-pack exports): the temp folder, the
 * repository's fixtures and the shared data. The studio takes a path from the page only inside
 * folders picked at start (the harness's pickedFolders, the app's JINXIU_PICKED_FOLDERS).
 */
export function e2eFolders(): string[] {
  const folders = [os.tmpdir(), ROOT];
  const shared = process.env.JINXIU_SHARED_DATA ?? path.resolve(ROOT, '../shared/data');
  return fs.existsSync(shared) ? [...folders, shared] : folders;
}

/**
 * `studio`: a page showing the studio, from the browser harness or from the real Electron app
 * (each Electron launch gets its own temporary library).
 */
export const test = base.extend<{ studio: Page }, { target: Target }>({
  target: ['browser', { option: true, scope: 'worker' }],
  studio: async ({ target, browser, locale }, use) => {
    if (target === 'browser') {
      const url = process.env.JINXIU_E2E_URL;
      if (!url) throw new Error('JINXIU_E2E_URL is not set: the global setup did not start the harness.');
      const context = await browser.newContext({ locale, viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.goto(url);
      await use(page);
      await context.close();
      return;
    }
    const libraryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-e2e-electron-'));
    let app: ElectronApplication | null = null;
    try {
      app = await _electron.launch({
        executablePath: electronBinary()!,
        args: [ROOT, '--no-sandbox', '--disable-gpu'],
        env: { ...process.env, JINXIU_LIBRARY: libraryDir, JINXIU_PICKED_FOLDERS: e2eFolders().join(path.delimiter), LANG: 'en_US.UTF-8' },
      });
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      await use(page);
    } finally {
      await app?.close();
      fs.rmSync(libraryDir, { recursive: true, force: true });
    }
  },
});

export { expect };

/** Creates a project from the library; creating opens it, on the design view. */
export async function createProject(page: Page, name: string): Promise<void> {
  await page.getByTestId('create-project-name').fill(name);
  await page.getByTestId('create-project-submit').click();
  await expect(page.getByTestId('workspace-title')).toHaveText(name);
}

/** Brings a panel beside the canvas to the front: the flat's layers, Generate, swatches or motifs. */
export async function showPanel(page: Page, tab: 'layers' | 'generate' | 'swatches' | 'motifs'): Promise<void> {
  await page.getByTestId(`dock-tab-${tab}`).click();
  await expect(page.getByTestId(`dock-pane-${tab}`)).toBeVisible();
}

/** One record of the heritage sample's captions.jsonl, as the studio's motif import reads it. */
export type HeritageRecord = { id: string; image: string; caption_en?: string; caption_zh?: string } & Record<string, unknown>;

/**
 * Copies the named motifs of the in-repo heritage sample into a new folder outside the repository, in
 * the collection layout the studio imports (captions.jsonl with relative image paths). `edit` may
 * change a record on the way (a journey lengthens a caption to a full museum label).
 */
export function heritageCollection(ids: readonly string[], prefix: string, edit: (r: HeritageRecord) => HeritageRecord = (r) => r): string {
  const heritage = testFixture('heritage_motifs');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.mkdirSync(path.join(folder, 'images'));
  const records = fs
    .readFileSync(path.join(heritage, 'captions.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as HeritageRecord)
    .filter((r) => ids.includes(r.id))
    .map(edit);
  expect(records.map((r) => r.id).sort()).toEqual([...ids].sort());
  for (const r of records) fs.copyFileSync(path.join(heritage, r.image), path.join(folder, r.image));
  fs.writeFileSync(path.join(folder, 'captions.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return folder;
}
