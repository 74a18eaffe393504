import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { importSvg } from '../src/shared/flat/svg';
import { electronUnavailable, expect, test } from './fixtures';
import { sharedData } from '../src/main/shared-data';

const OUTPUT = path.resolve(import.meta.dirname, '../e2e-output');
const SHARED_FLAT = sharedData('garment_flats', 'flats_svg', 'aaron.svg');

test.skip(({ target }) => target === 'electron' && electronUnavailable() !== null, electronUnavailable() ?? '');

const unique = (label: string) => `${label} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

async function openProject(page: Page, name: string): Promise<void> {
  const row = page.getByTestId('project-row').filter({ has: page.getByTestId('project-name').getByText(name, { exact: true }) });
  await row.getByTestId('project-open').click();
  await expect(page.getByTestId('workspace')).toBeVisible();
}

/** Page coordinates of a document point, from the viewport the canvas publishes. */
async function toScreen(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const frame = page.getByTestId('editor-canvas');
  const vpt = (await frame.getAttribute('data-viewport'))!.split(',').map(Number);
  const box = (await frame.boundingBox())!;
  return { x: box.x + vpt[0]! * x + vpt[2]! * y + vpt[4]!, y: box.y + vpt[1]! * x + vpt[3]! * y + vpt[5]! };
}

async function click(page: Page, x: number, y: number): Promise<void> {
  const p = await toScreen(page, x, y);
  await page.mouse.click(p.x, p.y);
}

/** A smooth pen anchor: press on the point, drag out the handle, release. */
async function drag(page: Page, x: number, y: number, hx: number, hy: number): Promise<void> {
  const p = await toScreen(page, x, y);
  const h = await toScreen(page, hx, hy);
  await page.mouse.move(p.x, p.y);
  await page.mouse.down();
  await page.mouse.move(h.x, h.y, { steps: 4 });
  await page.mouse.up();
}

const editor = (page: Page) => page.getByTestId('panel-editor');

/** The document's fingerprint once it is of the state the history shows. */
async function digest(page: Page): Promise<string> {
  await expect
    .poll(async () => {
      const [of, now] = await Promise.all([editor(page).getAttribute('data-digest-of'), editor(page).getAttribute('data-history')]);
      return of !== null && of === now;
    })
    .toBe(true);
  return (await editor(page).getAttribute('data-doc-digest'))!;
}

async function waitSaved(page: Page): Promise<void> {
  await expect(editor(page)).toHaveAttribute('data-save-status', 'saved');
}

test('draw a bodice with the pen, mirror it, topstitch and measure it, undo/redo, and find it unchanged after a reload', async ({ studio: page }) => {
  const name = unique('Bodice block');
  await page.getByTestId('create-project-name').fill(name);
  await page.getByTestId('create-project-submit').click();
  await openProject(page, name);

  await page.getByTestId('template-blank').click();
  await expect(page.getByTestId('editor-canvas')).toHaveAttribute('data-viewport', /,/);

  // Half a bodice on the right of the centre front (x = 500), from neck to waist, both ends on the axis.
  await page.getByTestId('tool-pen').click();
  await click(page, 500, 260);
  await drag(page, 580, 205, 600, 215);
  await click(page, 700, 240);
  await drag(page, 715, 430, 705, 470);
  await click(page, 690, 720);
  await click(page, 500, 740);
  await page.keyboard.press('Enter');
  await expect(editor(page)).toHaveAttribute('data-history', '1/1');

  await page.getByTestId('mirror-join').click();
  await expect(editor(page)).toHaveAttribute('data-history', '2/2');

  await page.getByTestId('tool-stitch').click();
  await page.getByTestId('stitch-offset').fill('6');
  await click(page, 600, 500);
  await expect(editor(page)).toHaveAttribute('data-history', '3/3');
  await expect(page.getByTestId('layer-stitching')).toContainText('1');

  await page.getByTestId('tool-measure').click();
  await click(page, 700, 240);
  await click(page, 300, 240);
  await expect(page.getByTestId('pom-row')).toHaveCount(1);
  await expect(page.getByTestId('pom-row')).toContainText(/\b(39|40|41)(\.\d+)? cm/);
  const drawn = await digest(page);

  await page.getByTestId('undo').click();
  await expect(page.getByTestId('pom-row')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('layer-stitching')).toContainText('0');
  await page.getByTestId('redo').click();
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('pom-row')).toHaveCount(1);
  expect(await digest(page)).toBe(drawn);

  await waitSaved(page);
  // A pinch (ctrl+wheel) over the bodice zooms in on it; the view is not part of the document.
  await page.keyboard.press('v');
  const centre = await toScreen(page, 500, 480);
  await page.mouse.move(centre.x, centre.y);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -250);
  await page.keyboard.up('Control');
  await page.getByTestId('layer-outline').click();
  expect(await digest(page)).toBe(drawn);
  fs.mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: path.join(OUTPUT, 'editor.png') });

  await page.reload();
  await openProject(page, name);
  expect(await digest(page)).toBe(drawn);
  await expect(editor(page)).toHaveAttribute('data-history', '4/4');
  await expect(page.getByTestId('pom-row')).toHaveCount(1);
  // The history came back with the flat: undo still works after the reload.
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('pom-row')).toHaveCount(0);
  await page.getByTestId('redo').click();
  expect(await digest(page)).toBe(drawn);
  await expect(page.getByTestId('version-row').first()).toBeVisible();
});

test('import a shared flat and export it again as SVG with its paths', async ({ studio: page }) => {
  const name = unique('Imported flat');
  await page.getByTestId('create-project-name').fill(name);
  await page.getByTestId('create-project-submit').click();
  await openProject(page, name);

  await page.getByTestId('flat-import-input').setInputFiles(SHARED_FLAT);
  await expect(page.getByTestId('flat-switch')).toContainText('aaron');
  await waitSaved(page);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('flat-export-svg').click()]);
  expect(download.suggestedFilename()).toBe('aaron-front.svg');
  const svg = fs.readFileSync((await download.path())!, 'utf8');
  expect(svg).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);

  // The export reads back as the same flat: the same shapes with the same geometry.
  const original = importSvg(fs.readFileSync(SHARED_FLAT, 'utf8')).doc.views[0]!.items;
  const again = importSvg(svg).doc.views[0]!.items;
  const shapes = (items: typeof original) => items.filter((i) => i.type === 'shape' || i.type === 'stitch');
  expect(shapes(again).length).toBe(shapes(original).length);
  expect(shapes(original).length).toBeGreaterThan(0);
  const segCount = (items: typeof original) => items.reduce((n, i) => n + ('segments' in i ? i.segments.length : 0), 0);
  expect(segCount(shapes(again))).toBe(segCount(shapes(original)));

  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('flat-export-png').click()]);
  expect(png.suggestedFilename()).toBe('aaron-front.png');
  expect(fs.readFileSync((await png.path())!).subarray(1, 4).toString()).toBe('PNG');
});

test('rectangle, ellipse, text, duplicate, copy/paste, delete and a locked layer', async ({ studio: page }) => {
  const name = unique('Tools');
  await page.getByTestId('create-project-name').fill(name);
  await page.getByTestId('create-project-submit').click();
  await openProject(page, name);
  await page.getByTestId('template-blank').click();
  await expect(page.getByTestId('editor-canvas')).toHaveAttribute('data-viewport', /,/);
  const outline = page.getByTestId('layer-outline');
  const dragOut = async (x0: number, y0: number, x1: number, y1: number) => {
    const a = await toScreen(page, x0, y0);
    const b = await toScreen(page, x1, y1);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 5 });
    await page.mouse.up();
  };

  await page.keyboard.press('m');
  await dragOut(100, 100, 300, 300);
  await expect(outline).toContainText('1');
  await page.keyboard.press('Control+d');
  await expect(outline).toContainText('2');
  await page.keyboard.press('Delete');
  await expect(outline).toContainText('1');

  await page.keyboard.press('l');
  await dragOut(600, 100, 800, 250);
  await expect(outline).toContainText('2');

  await page.keyboard.press('t');
  await click(page, 400, 600);
  await page.getByTestId('text-input').fill('Bartack at pocket corners');
  await page.getByTestId('text-input').press('Enter');
  await expect(outline).toContainText('3');

  // Select the rectangle, copy and paste it.
  await page.keyboard.press('v');
  await click(page, 200, 200);
  await expect(page.getByTestId('selection-count')).toContainText('1');
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(outline).toContainText('4');
  await expect(editor(page)).toHaveAttribute('data-history', '6/6');
  // The canvas is re-synced incrementally: the paste built one object, the other three stayed.
  await expect(page.getByTestId('editor-canvas')).toHaveAttribute('data-synced', '1/4');

  // A locked layer cannot be edited: Delete on a selection there changes nothing.
  await page.getByTestId('layer-lock-outline').click();
  await expect(page.getByTestId('layer-lock-outline')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Delete');
  await expect(outline).toContainText('4');
  await page.getByTestId('layer-visible-outline').click();
  await expect(page.getByTestId('layer-visible-outline')).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('layer-lock-outline')).toHaveAttribute('aria-pressed', 'false');
  await expect(editor(page)).toHaveAttribute('data-history', '6/8');

  // The back view has its own items; with live mirroring on, a shape drawn there gets its twin.
  await page.getByTestId('view-back').click();
  await expect(outline).toContainText('0');
  await page.getByTestId('toggle-symmetry').check();
  await page.keyboard.press('m');
  await dragOut(560, 400, 700, 500);
  await expect(outline).toContainText('2');
  await page.getByTestId('view-front').click();
  await expect(outline).toContainText('4');
});

test('direct selection drags one anchor of a shape', async ({ studio: page }) => {
  const name = unique('Anchors');
  await page.getByTestId('create-project-name').fill(name);
  await page.getByTestId('create-project-submit').click();
  await openProject(page, name);
  await page.getByTestId('template-blank').click();
  await expect(page.getByTestId('editor-canvas')).toHaveAttribute('data-viewport', /,/);
  await page.keyboard.press('m');
  const a = await toScreen(page, 100, 100);
  const b = await toScreen(page, 300, 300);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
  await expect(editor(page)).toHaveAttribute('data-history', '1/1');
  const before = await digest(page);

  await page.keyboard.press('a');
  await click(page, 200, 200);
  const corner = await toScreen(page, 300, 300);
  const moved = await toScreen(page, 360, 340);
  await page.mouse.move(corner.x, corner.y);
  await page.mouse.down();
  await page.mouse.move(moved.x, moved.y, { steps: 5 });
  await page.mouse.up();
  await expect(editor(page)).toHaveAttribute('data-history', '2/2');
  expect(await digest(page)).not.toBe(before);
  await page.getByTestId('undo').click();
  expect(await digest(page)).toBe(before);
});
