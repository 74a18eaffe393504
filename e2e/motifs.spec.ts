import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { itemBounds, loadFlat, type Shape } from '../src/shared/flat';
import { electronUnavailable, expect, test } from './fixtures';
import { sharedData } from '../src/main/shared-data';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUTPUT = path.join(ROOT, 'e2e-output');
const HERITAGE = sharedData('heritage_motifs');
/** Three lotus motifs, two dragons and one of neither, from the shared heritage collection. */
const PICKED = [
  'lianhuawen_wadang_nwei400',
  'porcelain_bowl_lotus_yuan400',
  'jade_egret_yuan400',
  'jade_dragon_hongshan400',
  'dragon_robe_qing400',
  'agate_snuff_bottle_qing400',
];

test.skip(({ target }) => target === 'electron' && electronUnavailable() !== null, electronUnavailable() ?? '');
// Importing, indexing with the bundled motif pack and searching run on two shared cores.
test.setTimeout(180_000);

const unique = (label: string) => `${label} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/** A small collection in the heritage layout (captions.jsonl with relative image paths), outside the repo. */
function makeCollection(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-e2e-motifs-'));
  fs.mkdirSync(path.join(folder, 'images'));
  const records = fs
    .readFileSync(path.join(HERITAGE, 'captions.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { id: string; image: string })
    .filter((r) => PICKED.includes(r.id));
  expect(records).toHaveLength(PICKED.length);
  for (const r of records) fs.copyFileSync(path.join(HERITAGE, r.image), path.join(folder, r.image));
  fs.writeFileSync(path.join(folder, 'captions.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return folder;
}

async function openProject(page: Page, name: string): Promise<void> {
  await page.getByTestId('create-project-name').fill(name);
  await page.getByTestId('create-project-submit').click();
  const row = page.getByTestId('project-row').filter({ has: page.getByTestId('project-name').getByText(name, { exact: true }) });
  await row.getByTestId('project-open').click();
  await expect(page.getByTestId('workspace')).toBeVisible();
}

async function searchFor(page: Page, query: string): Promise<void> {
  await page.getByTestId('motif-query').fill(query);
  await page.getByTestId('motif-search').click();
  await expect(page.getByTestId('motif-results')).toBeVisible({ timeout: 60_000 });
}

/** Page coordinates of a document point, from the viewport the canvas publishes. */
async function toScreen(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const frame = page.getByTestId('editor-canvas');
  const vpt = (await frame.getAttribute('data-viewport'))!.split(',').map(Number);
  const box = (await frame.boundingBox())!;
  return { x: box.x + vpt[0]! * x + vpt[2]! * y + vpt[4]!, y: box.y + vpt[1]! * x + vpt[3]! * y + vpt[5]! };
}

test('import a motif folder, search 莲花 and dragon with credits, show the heatmap, drag a motif onto the flat', async ({ studio: page }) => {
  const folder = makeCollection();
  try {
    await openProject(page, unique('Lotus tee'));
    const panel = page.getByTestId('panel-motifs');

    // Import the folder as a job and watch it finish.
    await panel.getByTestId('motif-import').locator('summary').click();
    await panel.getByTestId('motif-import-folder').fill(folder);
    await panel.getByTestId('motif-import-submit').click();
    await expect(panel.getByTestId('motif-import-done')).toBeVisible({ timeout: 90_000 });
    await expect(panel.getByTestId('motif-import-done')).toContainText(/Imported [1-9]/);

    // Captions in Chinese find the lotus motifs, each with its source and licence.
    await panel.getByTestId('motif-mode-caption').click();
    await searchFor(page, '莲花');
    const results = panel.getByTestId('motif-result');
    await expect(results.first()).toBeVisible();
    const lotusCaptions = await panel.getByTestId('motif-caption').allTextContents();
    expect(lotusCaptions.some((c) => /lotus/i.test(c))).toBe(true);
    expect(lotusCaptions.some((c) => /dragon/i.test(c))).toBe(false);
    await expect(results.first().getByTestId('motif-source')).toContainText('Alex Amies');
    await expect(results.first().getByTestId('motif-licence')).toContainText('CC BY 2.5');

    // English finds the dragons across the lexicon, with credits in the detail view too.
    await searchFor(page, 'dragon');
    const dragonCaptions = await panel.getByTestId('motif-caption').allTextContents();
    expect(dragonCaptions.length).toBeGreaterThan(0);
    expect(dragonCaptions.every((c) => /dragon/i.test(c))).toBe(true);
    await results.first().getByRole('button').first().click();
    await expect(panel.getByTestId('motif-detail-source')).toContainText('Alex Amies');
    await expect(panel.getByTestId('motif-detail-licence')).toContainText('CC BY 2.5');

    // The bundled motif pack indexes the motifs; the hybrid ranking then carries crops for the heatmap.
    const indexButton = panel.getByTestId('motif-index');
    await expect(indexButton).toBeVisible();
    await indexButton.click();
    await expect(panel.getByTestId('motif-index-done')).toBeVisible({ timeout: 120_000 });
    await panel.getByTestId('motif-mode-hybrid').click();
    await expect(panel.getByTestId('motif-results')).toHaveAttribute('data-ranking', 'hybrid', { timeout: 60_000 });
    await expect(panel.getByTestId('motif-heatmap')).toHaveCount(0);
    await panel.getByTestId('motif-heatmap-toggle').check();
    await expect(panel.getByTestId('motif-heatmap').first()).toBeVisible();
    await expect(panel.getByTestId('motif-heatmap-best').first()).toBeVisible();
    // motifs.search scores every crop (2x2 grid and centre): the detail view shades each by its score.
    expect(await panel.getByTestId('motif-detail').getByTestId('motif-heatmap-crop').count()).toBeGreaterThan(1);
    const overlay = (await panel.getByTestId('motif-heatmap-best').first().boundingBox())!;
    expect(overlay.width).toBeGreaterThan(4);
    expect(overlay.height).toBeGreaterThan(4);

    // The open motif goes into the tech pack's motif references; a second time it is already there.
    await panel.getByTestId('motif-add-techpack').click();
    await expect(panel.getByTestId('motif-techpack-added')).toContainText('Added to the tech pack');
    await panel.getByTestId('motif-add-techpack').click();
    await expect(panel.getByTestId('motif-techpack-added')).toContainText('Already in the tech pack');

    // A new T-shirt flat; drag the first motif onto the middle of its front panel.
    await page.locator('[data-testid="template-template-t-shirt"], [data-testid="template-t-shirt"]').first().click();
    await expect(page.getByTestId('editor-canvas')).toHaveAttribute('data-viewport', /,/);
    const template = loadFlat(JSON.parse(fs.readFileSync(path.join(ROOT, 'resources/templates/t-shirt.json'), 'utf8')));
    const body = template.views[0]!.items.find((i) => i.type === 'shape' && i.role === 'panel') as Shape;
    const box = itemBounds(body)!;
    const drop = await toScreen(page, (box.minX + box.maxX) / 2, (box.minY + box.maxY) / 2);
    const canvasBox = (await page.getByTestId('editor-canvas').boundingBox())!;
    const editor = page.getByTestId('panel-editor');
    const before = await editor.getAttribute('data-doc-digest');
    const dragged = results.first();
    const motifId = (await dragged.getAttribute('data-motif-id'))!;
    await dragged.dragTo(page.getByTestId('editor-canvas'), { targetPosition: { x: drop.x - canvasBox.x, y: drop.y - canvasBox.y } });
    await expect(editor).not.toHaveAttribute('data-doc-digest', before ?? '');
    await expect(editor).toHaveAttribute('data-save-status', 'saved', { timeout: 15_000 });

    // The print is in the document: the SVG export names it with the motif's id.
    const download = page.waitForEvent('download');
    await page.getByTestId('flat-export-svg').click();
    const svg = fs.readFileSync((await (await download).path())!, 'utf8');
    expect(svg).toContain(`[motif:${motifId}]`);

    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'motifs.png') });
    await panel.screenshot({ path: path.join(OUTPUT, 'motifs-panel.png') });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
