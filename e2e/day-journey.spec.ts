import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { anchorPoint, bounds } from '../src/shared/flat/geometry/path';
import { measuredLine } from '../src/shared/flat/scale';
import type { FlatView, Shape } from '../src/shared/flat/schema';
import { importSvg } from '../src/shared/flat/svg';
import { testFixture } from '../src/main/test-fixtures';
import { electronUnavailable, expect, heritageCollection, showPanel, test } from './fixtures';
import { expectNoEnglish } from './no-english';

/**
 * A garment technician's day (issue 16), at 1440 x 900, once in English and once in Chinese: a
 * two-view flat with no physical units imported and calibrated, its graded points of measure in the
 * tech pack, a heritage motif with a long museum caption printed on it, the tech pack exported as PDF
 * and PNG, a render with the bundled pack, a trip to Projects and Models and back, and a dart picked
 * inside a topstitched outline. Every step leaves a screenshot in e2e-output/day-journey/<lang>/.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const SHOTS = path.join(ROOT, 'e2e-output', 'day-journey');
/** A sleeveless qipao twice, front left and back right, no labels and no physical units (px page). */
const QIPAO = testFixture('flat_views', 'qipao-front-back.svg');
const FLAT_NAME = 'qipao-front-back';
/** The motif printed on the qipao; no other spec imports it, so its lengthened caption is the library's. */
const MOTIF = 'celadon_cloud_phoenix_yuan400';
const manifest = (pack: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'resources/models', pack, 'manifest.json'), 'utf8')) as { id: string; name: string };
const BUNDLED_PACK = manifest('garment-default').id;

type Lang = 'en' | 'zh';

test.skip(({ target }) => target === 'electron' && electronUnavailable() !== null, electronUnavailable() ?? '');
// A motif import, a tech-pack export in two formats and a render, on two shared cores.
test.setTimeout(600_000);

/** What the technician types, in the language of the day. */
const WORDS = {
  en: {
    project: 'Qipao day',
    motifQuery: 'phoenix',
    caption: 'Cloud and phoenix, after a Longquan celadon plate (Yuan), Shanghai Museum',
    prompt: 'celadon silk qipao with a cloud and phoenix print at the hip',
  },
  zh: {
    project: '旗袍一日',
    motifQuery: '凤纹',
    caption: '云凤纹，仿元代龙泉窑青釉盘，上海博物馆藏',
    prompt: '青瓷色真丝旗袍，臀部云凤纹印花',
  },
} as const;
const STYLE_NUMBER = 'QP-0616';
const escaped = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g');
/**
 * Verbatim names a Chinese screen shows as they are: the style number typed, the flat's file name, the
 * bundled packs' names (pack names are excepted, issue 16), the photo's author, its licence and its address.
 */
const PROPER_NAMES = [
  /QP-\d+/g,
  escaped(FLAT_NAME),
  escaped(manifest('garment-default').name),
  escaped(manifest('motif-default').name),
  /Alex Amies/g,
  /CC[- ]BY[- ]2\.5/g,
  /\bMIT\b/g,
  /https?:\/\/[^\s)）]+/g,
];

/** A label as the studio words it in `lang`, from its locale files (so the zh run finds zh labels). */
function label(lang: Lang, key: string): string {
  const [ns, rest] = key.split(':') as [string, string];
  const file = JSON.parse(fs.readFileSync(path.join(ROOT, 'src/renderer/src/locales', lang, `${ns}.json`), 'utf8')) as Record<string, unknown>;
  const value = rest.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], file);
  if (typeof value !== 'string') throw new Error(`No string ${key} in the ${lang} locale`);
  return value;
}

/** The flat as the studio's importer splits it (the same code the import form runs): front and back. */
function qipaoViews(): { front: FlatView; back: FlatView } {
  const { doc } = importSvg(fs.readFileSync(QIPAO, 'utf8'), { views: 'auto' });
  const [front, back] = doc.views;
  if (front?.id !== 'front' || back?.id !== 'back') throw new Error('The qipao fixture no longer splits into front and back');
  return { front, back };
}

const shape = (view: FlatView, id: string) => {
  const item = view.items.find((i) => i.id === id);
  if (item?.type !== 'shape' && item?.type !== 'stitch') throw new Error(`No path ${id} in the ${view.id} view`);
  return item as Shape;
};

/** Page coordinates of a document point, from the viewport the canvas publishes. */
async function toScreen(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const frame = page.getByTestId('editor-canvas');
  const vpt = (await frame.getAttribute('data-viewport'))!.split(',').map(Number);
  const box = (await frame.boundingBox())!;
  return { x: box.x + vpt[0]! * x + vpt[2]! * y + vpt[4]!, y: box.y + vpt[1]! * x + vpt[3]! * y + vpt[5]! };
}

async function clickDoc(page: Page, x: number, y: number): Promise<void> {
  const p = await toScreen(page, x, y);
  await page.mouse.click(p.x, p.y);
}

/** The open view exported as SVG, as the editor's Export SVG writes it. */
async function exportedView(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('flat-export-svg').click()]);
  return fs.readFileSync((await download.path())!, 'utf8');
}

/** Both variant images decoded, and the image-biased one's address. */
async function shownRender(panel: Locator): Promise<string> {
  for (const id of ['variant-image-biased', 'variant-text-biased']) {
    await expect
      .poll(() => panel.getByTestId(id).first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 240_000 })
      .toBe(true);
  }
  return (await panel.getByTestId('variant-image-biased').first().getAttribute('src')) ?? '';
}

/** Share of a PNG's pixels that are not near-white: a blank sheet has almost none. */
function inkShare(file: string): { width: number; height: number; ink: number } {
  const png = PNG.sync.read(fs.readFileSync(file));
  let ink = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! + png.data[i + 1]! + png.data[i + 2]! < 3 * 200) ink++;
  return { width: png.width, height: png.height, ink: ink / (png.width * png.height) };
}

/** The cm value as the tech pack prints it: one decimal, rounded half up on the exact value. */
const printed = (cm: number) => (Math.round(cm * 10 + 1e-9) / 10).toFixed(1);

async function journey(page: Page, lang: Lang): Promise<void> {
  const words = WORDS[lang];
  const shots = path.join(SHOTS, lang);
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  let n = 0;
  /** English found on the Chinese screens, step by step: the day goes on so every screen is checked. */
  const english: string[] = [];
  /** Screenshot of the step, then (in Chinese) no English on screen. */
  const step = async (name: string) => {
    n += 1;
    await page.screenshot({ path: path.join(shots, `${String(n).padStart(2, '0')}-${name}.png`) });
    if (lang === 'zh') await expectNoEnglish(page, name, PROPER_NAMES).catch((e: unknown) => english.push((e as Error).message));
  };
  const editor = page.getByTestId('panel-editor');
  const canvas = page.getByTestId('editor-canvas');
  const { front } = qipaoViews();

  if (lang === 'zh') {
    await page.getByTestId('language-zh').click();
    await expect(page.getByTestId('language-zh')).toHaveAttribute('aria-pressed', 'true');
  }
  // Digits only after the name: a Latin suffix would read as English on the Chinese screens.
  const project = `${words.project} ${Date.now()}`;
  await page.getByTestId('nav-library').click();
  await page.getByTestId('create-project-name').fill(project);
  await page.getByTestId('create-project-submit').click();
  await expect(page.getByTestId('workspace')).toBeVisible();
  await step('project');

  // 1. The flat, front and back side by side with no names: found as two garments, the left one the front.
  await page.getByTestId('flat-import-input').setInputFiles(QIPAO);
  await expect(page.getByTestId('import-form')).toBeVisible();
  await expect(page.getByTestId('import-views-found')).toHaveText(label(lang, 'editor:import.found.sideBySide'));
  await expect(page.getByTestId('import-view')).toHaveCount(2);
  // "qipao" in the file name makes it a dress; the body length comes from the dress template.
  await expect(page.getByTestId('import-kind')).toHaveValue('dress');
  await expect(page.getByTestId('import-measurement')).toHaveValue('bodyLength');
  const importedCm = Number(await page.getByTestId('import-cm').inputValue());
  expect(importedCm).toBeGreaterThan(50);
  await step('import-form');
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('import-form')).toHaveCount(0);
  await expect(page.getByTestId('flat-switch')).toContainText(FLAT_NAME);
  await expect(canvas).toHaveAttribute('data-viewport', /,/);
  // Each view holds its own garment: the front's paths in the front, the back's (with its zip) in the back.
  await page.getByTestId('view-back').click();
  await expect(page.getByTestId('view-back')).toHaveAttribute('aria-selected', 'true');
  const backSvg = await exportedView(page);
  expect(backSvg).toContain('id="b-zip"');
  expect(backSvg).not.toContain('id="a-body"');
  await page.getByTestId('view-front').click();
  await expect(page.getByTestId('view-front')).toHaveAttribute('aria-selected', 'true');
  const frontSvg = await exportedView(page);
  expect(frontSvg).toContain('id="a-opening"');
  expect(frontSvg).not.toContain('id="b-body"');
  await step('imported');

  // 2. A point of measure across the hem, then the flat calibrated to the qipao's real body length.
  const body = shape(front, 'a-body');
  const anchors = body.segments.map((_, k) => anchorPoint(body.segments, k)).filter((p): p is NonNullable<typeof p> => p !== null);
  const hemY = Math.max(...anchors.map((p) => p.y));
  const [hemA, hemB] = anchors.filter((p) => Math.abs(p.y - hemY) < 1e-6);
  if (!hemA || !hemB) throw new Error('The qipao has no straight hem to measure');
  const hemUnits = Math.hypot(hemA.x - hemB.x, hemA.y - hemB.y);
  const bodyUnits = measuredLine(front, 'bodyLength')!.length;
  /** The POM's value at a body length of `cm`, as the flat keeps it (cm to 0.01). */
  const hemAt = (cm: number) => Math.round(((hemUnits * cm) / bodyUnits) * 100) / 100;
  await page.getByTestId('tool-measure').click();
  await clickDoc(page, hemA.x, hemA.y);
  await clickDoc(page, hemB.x, hemB.y);
  await expect(page.getByTestId('pom-row')).toHaveCount(1);
  await expect(page.getByTestId('pom-row')).toContainText(`${hemAt(importedCm)} cm`);

  const realCm = 118;
  await page.getByTestId('flat-calibrate').click();
  await page.getByTestId('calibrate-source').selectOption('bodyLength');
  await expect(page.getByTestId('calibrate-cm')).toHaveValue(String(importedCm));
  await page.getByTestId('calibrate-cm').fill(String(realCm));
  await step('calibrate');
  await page.getByTestId('calibrate-apply').click();
  await expect(page.getByTestId('calibrate-form')).toHaveCount(0);
  const hemCm = hemAt(realCm);
  await expect(page.getByTestId('pom-row')).toContainText(`${hemCm} cm`);
  await expect(editor).toHaveAttribute('data-save-status', 'saved', { timeout: 15_000 });
  await step('calibrated');

  // 3. A heritage motif with its whole museum label as caption, printed on the front at the hip.
  const folder = heritageCollection([MOTIF], 'jinxiu-e2e-journey-', (r) => ({
    ...r,
    caption_en: `${r.caption_en} ${String(r.context_en)} Slip-decorated and unglazed relief, the phoenixes fired to a reddish brown against the green glaze.`,
    // The English label's gist in Chinese, so the Chinese caption is a museum label's length too.
    caption_zh: `${r.caption_zh} 为使纹饰呈现色彩，盘上的凤纹在施釉之后贴上；露胎处烧成赭红色，与青绿釉色相映，是元代龙泉窑的典型做法。`,
  }));
  const motifs = page.getByTestId('panel-motifs');
  try {
    await showPanel(page, 'motifs');
    await motifs.getByTestId('motif-import').locator('summary').click();
    await motifs.getByTestId('motif-import-folder').fill(folder);
    await motifs.getByTestId('motif-import-submit').click();
    await expect(motifs.getByTestId('motif-import-done')).toBeVisible({ timeout: 90_000 });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
  await motifs.getByTestId('motif-mode-caption').click();
  await motifs.getByTestId('motif-query').fill(words.motifQuery);
  await motifs.getByTestId('motif-search').click();
  const result = motifs.locator(`[data-testid="motif-result"][data-motif-id]`).first();
  await expect(result).toBeVisible({ timeout: 60_000 });
  const motifId = (await result.getAttribute('data-motif-id'))!;
  const box = bounds(body.segments)!;
  const hip = await toScreen(page, (box.minX + box.maxX) / 2, box.minY + (box.maxY - box.minY) * 0.8);
  const frame = (await canvas.boundingBox())!;
  const beforeDrop = await editor.getAttribute('data-doc-digest');
  await result.dragTo(canvas, { targetPosition: { x: hip.x - frame.x, y: hip.y - frame.y } });
  await page.getByTestId('motif-drop-print').click();
  await expect(editor).not.toHaveAttribute('data-doc-digest', beforeDrop ?? '');
  await expect(editor).toHaveAttribute('data-save-status', 'saved', { timeout: 15_000 });
  expect(await exportedView(page)).toMatch(new RegExp(`class="print"[^>]* data-motif="${motifId}"`));
  await step('motif-print');

  // The tech pack: style number and a graded size range for the hem POM.
  await page.getByTestId('workspace-tab-techpack').click();
  const issues = page.getByTestId('techpack-issues');
  await page.getByTestId('techpack-styleNumber').fill(STYLE_NUMBER);
  await page.getByTestId('techpack-sizes').fill('S, M, L');
  await page.getByTestId('techpack-base-size').selectOption('M');
  await page.getByTestId('techpack-grade-add').click();
  const grade = page.getByTestId('techpack-grade-row').first();
  await grade.getByLabel(label(lang, 'techpack:grading.ruleCode')).fill('P1');
  const increment = 2.5;
  await grade.getByLabel(label(lang, 'techpack:grading.increments')).fill(String(increment));
  await expect(page.getByTestId('techpack-preview')).toHaveAttribute('data-updating', 'false', { timeout: 60_000 });
  // The printed motif is credited with its library caption; whatever preflight says of it, nothing is an error.
  const credit = page.getByTestId('techpack-motif').filter({ has: page.getByTestId('techpack-motif-caption') });
  await expect(credit).toHaveCount(1, { timeout: 30_000 });
  await expect(page.locator('.techpack__issue--error')).toHaveCount(0, { timeout: 30_000 });
  await credit.scrollIntoViewIfNeeded();
  await step('techpack-long-caption');
  // Any note about the caption leads to the field that fixes it.
  const captionNote = issues.locator('li').filter({ hasText: /caption|说明|图注|题注/ });
  if ((await captionNote.count()) > 0) {
    await captionNote.first().getByRole('button').click();
    await expect(credit.getByTestId('techpack-motif-caption')).toBeFocused();
  }
  await credit.getByTestId('techpack-motif-caption').fill(words.caption);
  await expect(page.getByTestId('techpack-preview')).toHaveAttribute('data-updating', 'false', { timeout: 60_000 });
  await expect(page.locator('.techpack__issue--error')).toHaveCount(0);
  await page.getByTestId('techpack-save').click();
  await expect(page.getByTestId('techpack-error')).toHaveCount(0);
  await step('techpack-caption');

  // 4. Exported as a PDF and as PNG sheets: both non-trivial, the PDF with the graded hem and the caption.
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-e2e-journey-'));
  try {
    const pdf = path.join(out, 'techpack.pdf');
    await page.getByTestId('techpack-format').selectOption('pdf');
    await page.getByTestId('techpack-out').fill(pdf);
    await page.getByTestId('techpack-export').click();
    await expect(page.getByTestId('techpack-result')).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId('techpack-error')).toHaveCount(0);
    expect(fs.statSync(pdf).size).toBeGreaterThan(20_000);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    const graded = [hemCm - increment, hemCm, hemCm + increment].map(printed);
    expect(text).toMatch(new RegExp(`P1\\b.*\\b${graded.map((v) => v.replace('.', '\\.')).join('\\s+')}\\b`));
    expect(text).toContain(STYLE_NUMBER);
    // A factory document in the studio's language: Chinese first when the studio is in Chinese.
    expect(text).toContain(lang === 'zh' ? '封面 Cover' : 'Cover 封面');
    // The edited caption is what the sheet prints (pdftotext may break it across lines).
    expect(text.replace(/\s+/g, '')).toContain(words.caption.replace(/\s+/g, '').slice(0, 16));

    const sheets = path.join(out, 'sheets');
    fs.mkdirSync(sheets);
    await page.getByTestId('techpack-format').selectOption('png');
    await page.getByTestId('techpack-out').fill(sheets);
    await page.getByTestId('techpack-export').click();
    await expect(page.getByTestId('techpack-result')).toContainText('.png', { timeout: 180_000 });
    await expect(page.getByTestId('techpack-error')).toHaveCount(0);
    const pngs = fs.readdirSync(sheets).filter((f) => f.endsWith('.png'));
    expect(pngs.length).toBeGreaterThan(0);
    // Every sheet has something drawn on it (a sparse one, such as the revision log, has little).
    for (const f of pngs) {
      const sheet = inkShare(path.join(sheets, f));
      expect(sheet.width, f).toBeGreaterThan(500);
      expect(sheet.ink, f).toBeGreaterThan(0.001);
    }
    // Kept beside the screenshots, to be looked at.
    fs.cpSync(out, path.join(shots, 'export'), { recursive: true });
    await step('techpack-exported');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }

  // The bundled garment pack is the one that renders.
  await page.getByTestId('nav-models').click();
  const bundled = page.locator(`[data-testid="installed-pack"][data-pack-id="${BUNDLED_PACK}"]`);
  await expect(bundled).toHaveCount(1);
  if ((await bundled.getAttribute('data-default')) !== 'true') await bundled.getByTestId('pack-set-default').click();
  await expect(bundled).toHaveAttribute('data-default', 'true');
  await step('models');

  // 5. A render of the qipao, quick (two steps).
  await page.getByTestId('nav-project').click();
  await page.getByTestId('workspace-tab-design').click();
  await showPanel(page, 'generate');
  const variants = page.getByTestId('panel-variants');
  await variants.getByTestId('prompt-text').fill(words.prompt);
  await variants.getByTestId('advanced').locator('summary').click();
  await variants.getByTestId('steps-input').fill('2');
  await variants.getByTestId('generate').click();
  const render = await shownRender(variants);
  const prompt = await variants.getByTestId('prompt-text').inputValue();
  expect(prompt).toContain(words.prompt);
  await step('generated');

  // Zoomed in on the front, then off to Projects and Models and back: prompt, render, flat and zoom as left.
  await canvas.click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+=');
  await page.keyboard.press('Control+=');
  await expect(canvas).toHaveAttribute('data-viewport', /,/);
  const zoomed = (await canvas.getAttribute('data-viewport'))!;
  const flat = await page.getByTestId('flat-switch').inputValue();
  await step('zoomed');
  await page.getByTestId('nav-library').click();
  await expect(page.getByTestId('library')).toBeVisible();
  await step('projects');
  await page.getByTestId('nav-models').click();
  await expect(page.getByTestId('installed-count')).toBeVisible();
  await page.getByTestId('nav-project').click();
  await expect(page.getByTestId('workspace')).toBeVisible();
  await expect(page.getByTestId('flat-switch')).toHaveValue(flat);
  await expect(page.getByTestId('view-front')).toHaveAttribute('aria-selected', 'true');
  await expect(variants.getByTestId('prompt-text')).toHaveValue(prompt);
  await expect(variants.getByTestId('variants-empty')).toHaveCount(0);
  expect(await shownRender(variants)).toBe(render);
  await expect(canvas).toHaveAttribute('data-viewport', zoomed);
  await step('back-in-project');

  // 6. A click on a dart's leg inside the topstitched outline takes the dart, not the stitch line.
  await page.getByTestId('zoom-fit').click();
  await showPanel(page, 'layers');
  await page.getByTestId('tool-select').click();
  const dart = shape(front, 'a-dart-left');
  const [top, point] = [anchorPoint(dart.segments, 0)!, anchorPoint(dart.segments, 1)!];
  // A third of the way down the leg, a hair to its side as a hand clicks.
  await clickDoc(page, top.x + (point.x - top.x) / 3 - 0.3, top.y + (point.y - top.y) / 3);
  await expect(page.getByTestId('selection-count')).toHaveText(label(lang, 'editor:selected_one').replace('{{count}}', '1'));
  await step('dart-selected');
  const history = await editor.getAttribute('data-history');
  await page.keyboard.press('Delete');
  await expect(editor).not.toHaveAttribute('data-history', history ?? '');
  const withoutDart = await exportedView(page);
  expect(withoutDart).not.toContain('id="a-dart-left"');
  for (const kept of ['a-topstitch', 'a-body', 'a-dart-right']) expect(withoutDart).toContain(`id="${kept}"`);
  await page.keyboard.press('Control+z');
  expect(await exportedView(page)).toContain('id="a-dart-left"');
  expect(english.join('\n\n'), 'English on Chinese screens').toBe('');
}

test('a technician\'s day: import and calibrate a two-view qipao, print a heritage motif, export the tech pack, render, come back to it, pick a dart', async ({ studio: page }) => {
  await journey(page, 'en');
});

test('the same day in Chinese, with no English on any screen', async ({ studio: page }) => {
  await journey(page, 'zh');
});
