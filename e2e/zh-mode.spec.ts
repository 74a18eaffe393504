import fs from 'node:fs';
import path from 'node:path';
import { electronUnavailable, expect, heritageCollection, showPanel, test } from './fixtures';
import { expectNoEnglish } from './no-english';
import { testFixture } from '../src/main/test-fixtures';

const ROOT = path.resolve(import.meta.dirname, '..');
/** One screenshot per screen, to look at what a Chinese-speaking technician sees. */
const SHOTS = path.join(ROOT, 'e2e-output', 'zh-mode');
/** A FreeSewing flat: an imported drawing, named by its file. */
const FLAT = testFixture('garment_flats', 'flats_svg', 'aaron.svg');
const DENIM_TILE = testFixture('textile_tiles', 'images', 'denim.png');
/** Two lotus motifs from the heritage sample: their captions come in both languages. */
const MOTIFS = ['lianhuawen_wadang_nwei400', 'porcelain_bowl_lotus_yuan400'];
/** The imported flat is named after its file. */
const FILE_NAME = /\baaron\b/g;
/** Who photographed the heritage sample: a person's name. */
const PHOTOGRAPHER = /Alex Amies/g;
/** Model families, formats and tools a pack is made of, by their makers' names. */
const MODEL_NAMES = /SD ?1\.5|SD ?2\.x|SDXL|Flux|IP-Adapter|ControlNet|sha256|Python|pickle/g;

/** Pack names and licences as their makers wrote them (the manifests and the catalogue): proper names. */
function packNames(): RegExp[] {
  const models = path.join(ROOT, 'resources', 'models');
  const names = new Set<string>();
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (node && typeof node === 'object')
      for (const [key, value] of Object.entries(node)) {
        if (typeof value === 'string' && /^(name|license|licence|licenceName|licenseName)$/.test(key)) names.add(value);
        else collect(value);
      }
  };
  for (const entry of fs.readdirSync(models, { withFileTypes: true })) {
    const file = entry.isDirectory() ? path.join(models, entry.name, 'manifest.json') : entry.name.endsWith('.json') ? path.join(models, entry.name) : null;
    if (file && fs.existsSync(file)) collect(JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  // Longest first, so a name is removed whole before a shorter one inside it.
  return [...names].sort((a, b) => b.length - a.length).map((n) => new RegExp(n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'));
}

test.skip(({ target }) => target === 'electron' && electronUnavailable() !== null, electronUnavailable() ?? '');
// A motif import and a tech-pack preflight run on two shared cores.
test.setTimeout(240_000);

const suffix = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`.replace(/[a-z]/g, (c) => String(c.charCodeAt(0) % 10));

test('in Chinese, no screen shows an English word', async ({ studio: page }) => {
  const leaks: string[] = [];
  /** Screenshot, then the check; every screen is visited and all leftovers are listed together at the end. */
  const screen = async (name: string, allow: RegExp[] = []) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    try {
      await expectNoEnglish(page, name, [FILE_NAME, ...allow]);
    } catch (e) {
      leaks.push((e as Error).message);
    }
  };

  // Projects, in Chinese from the switch on.
  await page.getByTestId('language-zh').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByTestId('nav-library').click();
  await screen('projects');

  // A project named in Chinese (a name the technician typed shows as typed) opens on the design view.
  const project = `旗袍样衣 ${suffix()}`;
  await page.getByTestId('create-project-name').fill(project);
  await page.getByTestId('create-project-submit').click();
  await expect(page.getByTestId('workspace')).toBeVisible();

  // The editor with an imported flat: the import form, then the flat with its layers.
  await page.getByTestId('flat-import-input').setInputFiles(FLAT);
  await expect(page.getByTestId('import-form')).toBeVisible();
  await screen('import-flat');
  await page.getByTestId('import-views').selectOption('one');
  await page.getByTestId('import-measurement').selectOption('page');
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('flat-switch')).toContainText('aaron');
  await showPanel(page, 'layers');
  await screen('editor');
  for (const tool of ['stitch', 'measure', 'curve']) {
    await page.getByTestId(`tool-${tool}`).click();
    await screen(`editor-${tool}`);
  }
  await page.getByTestId('tool-select').click();

  // Generate, with a prompt that names a garment, a colour and a fabric; then the history.
  await showPanel(page, 'generate');
  await page.getByTestId('prompt-text').fill('白色真丝旗袍，短袖，立领');
  await screen('generate');
  await page.getByTestId('history-tab').click();
  await screen('history');

  // Swatches, with one imported under a Chinese name.
  await showPanel(page, 'swatches');
  await page.getByTestId('swatch-import-path').fill(DENIM_TILE);
  await page.getByTestId('swatch-import-name').fill(`牛仔布 ${suffix()}`);
  await page.getByTestId('swatch-import-name').press('Enter');
  await expect(page.getByTestId('swatch-card').first()).toBeVisible({ timeout: 30_000 });
  await screen('swatches');

  // Motifs: imported from the heritage sample and found by a Chinese caption.
  const folder = heritageCollection(MOTIFS, 'jinxiu-e2e-zh-');
  try {
    await showPanel(page, 'motifs');
    const panel = page.getByTestId('panel-motifs');
    await panel.getByTestId('motif-import').locator('summary').click();
    await panel.getByTestId('motif-import-folder').fill(folder);
    await panel.getByTestId('motif-import-submit').click();
    await expect(panel.getByTestId('motif-import-done')).toBeVisible({ timeout: 90_000 });
    await panel.getByTestId('motif-mode-caption').click();
    await panel.getByTestId('motif-query').fill('莲花');
    await panel.getByTestId('motif-search').click();
    await expect(panel.getByTestId('motif-result').first()).toBeVisible({ timeout: 30_000 });
    await screen('motifs', [PHOTOGRAPHER]);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }

  // The tech pack of a new project: preflight finds the missing style number, measurements and colorways.
  await page.getByTestId('workspace-tab-techpack').click();
  await expect(page.getByTestId('techpack-issues')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('techpack-export').click();
  await expect(page.getByTestId('techpack-error')).toBeVisible({ timeout: 60_000 });
  await screen('techpack');

  // Models: installed packs and the catalogue; pack names are the packs' own.
  await page.getByTestId('nav-models').click();
  await expect(page.getByTestId('installed-count')).toBeVisible();
  await screen('models', [...packNames(), MODEL_NAMES]);

  await page.getByTestId('language-en').click();
  expect(leaks.join('\n\n')).toBe('');
});
