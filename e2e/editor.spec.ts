import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { importSvg } from '../src/shared/flat/svg';
import { bounds } from '../src/shared/flat/geometry/path';
import type { Segment, Shape } from '../src/shared/flat/schema';
import { electronUnavailable, expect, showPanel, test } from './fixtures';
import { testFixture } from '../src/main/test-fixtures';

const OUTPUT = path.resolve(import.meta.dirname, '../e2e-output');
const FREESEWING_FLAT = testFixture('garment_flats', 'flats_svg', 'aaron.svg');
/** A seamless fabric tile for the eyedropper's swatch (the repository's fixture tiles). */
const DENIM_TILE = testFixture('textile_tiles', 'images', 'denim.png');

test.skip(({ target }) => target === 'electron' && electronUnavailable() !== null, electronUnavailable() ?? '');

const unique = (label: string) => `${label} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

async function openProject(page: Page, name: string): Promise<void> {
  const row = page.getByTestId('project-row').filter({ has: page.getByTestId('project-name').getByText(name, { exact: true }) });
  const workspace = page.getByTestId('workspace');
  // A project just created opens by itself; one in the library is opened from its row.
  await expect(workspace.or(row.getByTestId('project-open'))).toBeVisible();
  if (!(await workspace.isVisible())) await row.getByTestId('project-open').click();
  await expect(workspace).toBeVisible();
}

/** The canvas of one view when front and back are side by side, else the only canvas. */
const canvasOf = (page: Page, view?: 'front' | 'back') =>
  view ? page.locator(`[data-testid="editor-canvas"][data-view="${view}"]`) : page.getByTestId('editor-canvas');

/** Page coordinates of a document point, from the viewport the canvas publishes. */
async function toScreen(page: Page, x: number, y: number, view?: 'front' | 'back'): Promise<{ x: number; y: number }> {
  const frame = canvasOf(page, view);
  const vpt = (await frame.getAttribute('data-viewport'))!.split(',').map(Number);
  const box = (await frame.boundingBox())!;
  return { x: box.x + vpt[0]! * x + vpt[2]! * y + vpt[4]!, y: box.y + vpt[1]! * x + vpt[3]! * y + vpt[5]! };
}

async function click(page: Page, x: number, y: number, view?: 'front' | 'back'): Promise<void> {
  const p = await toScreen(page, x, y, view);
  await page.mouse.click(p.x, p.y);
}

/** Presses at one document point and lets go at another, in small steps as a hand would. */
async function dragDoc(page: Page, from: [number, number], to: [number, number], view?: 'front' | 'back'): Promise<void> {
  const a = await toScreen(page, from[0], from[1], view);
  const b = await toScreen(page, to[0], to[1], view);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 6 });
  await page.mouse.up();
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

test('import a FreeSewing flat and export it again as SVG with its paths', async ({ studio: page }) => {
  const name = unique('Imported flat');
  await page.getByTestId('create-project-name').fill(name);
  await page.getByTestId('create-project-submit').click();
  await openProject(page, name);

  await page.getByTestId('flat-import-input').setInputFiles(FREESEWING_FLAT);
  // The export must read back as the whole drawing: one view, at the page's own scale.
  await page.getByTestId('import-views').selectOption('one');
  await page.getByTestId('import-measurement').selectOption('page');
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('flat-switch')).toContainText('aaron');
  await waitSaved(page);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('flat-export-svg').click()]);
  expect(download.suggestedFilename()).toBe('aaron-front.svg');
  const svg = fs.readFileSync((await download.path())!, 'utf8');
  expect(svg).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);

  // The export reads back as the same flat: the same shapes with the same geometry.
  const original = importSvg(fs.readFileSync(FREESEWING_FLAT, 'utf8')).doc.views[0]!.items;
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

test('a click on a dart inside a stitched outline selects the dart, not the stitch line', async ({ studio: page }) => {
  await newBlankFlat(page, 'Dart');

  // A panel, topstitched all round 6 mm in: the stitch line's box covers the whole panel.
  await page.getByTestId('tool-rect').click();
  await dragDoc(page, [250, 250], [750, 1000]);
  await page.getByTestId('tool-stitch').click();
  await page.getByTestId('stitch-offset').fill('6');
  await click(page, 500, 900);
  await expect(page.getByTestId('layer-stitching')).toContainText('1');
  // A waist dart inside it, on the seams layer (under the stitching).
  await page.getByTestId('layer-seams').click();
  await page.getByTestId('tool-pen').click();
  await click(page, 480, 450);
  await click(page, 500, 650);
  await click(page, 520, 450);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('layer-seams')).toContainText('1');
  await expect(editor(page)).toHaveAttribute('data-history', '3/3');

  // A click a little off the dart's leg takes the dart: Delete then removes it and nothing else.
  await page.getByTestId('tool-select').click();
  await click(page, 492, 550);
  await expect(page.getByTestId('selection-count')).toContainText('1');
  fs.mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: path.join(OUTPUT, 'editor-dart-picked.png') });
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('layer-seams')).toContainText('0');
  await expect(page.getByTestId('layer-stitching')).toContainText('1');
  await expect(page.getByTestId('layer-outline')).toContainText('1');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('layer-seams')).toContainText('1');

  // The stitch line is taken on its row, the filled panel anywhere away from the lines.
  await click(page, 257, 600);
  await expect(page.getByTestId('selection-count')).toContainText('1');
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('layer-stitching')).toContainText('0');
  await expect(page.getByTestId('layer-outline')).toContainText('1');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('layer-stitching')).toContainText('1');
  await click(page, 650, 800);
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('layer-outline')).toContainText('0');
  await expect(page.getByTestId('layer-seams')).toContainText('1');
  await expect(page.getByTestId('layer-stitching')).toContainText('1');
});

/** The open view as the studio exports it: the SVG text and the flat it reads back as. */
async function exported(page: Page): Promise<{ svg: string; shapes: Shape[] }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('flat-export-svg').click()]);
  const svg = fs.readFileSync((await download.path())!, 'utf8');
  const shapes = importSvg(svg).doc.views[0]!.items.filter((i): i is Shape => i.type === 'shape');
  return { svg, shapes };
}

const boxOf = (shape: Shape) => bounds(shape.segments)!;
/** The exported shape whose box holds the document point. */
const shapeAt = (shapes: Shape[], x: number, y: number) => {
  const found = shapes.filter((s) => {
    const b = boxOf(s);
    return b.minX <= x && x <= b.maxX && b.minY <= y && y <= b.maxY;
  });
  expect(found).toHaveLength(1);
  return found[0]!;
};

/** The guides the canvas publishes: [orientation letter, position] pairs. */
async function guides(page: Page, view?: 'front' | 'back'): Promise<[string, number][]> {
  const text = (await canvasOf(page, view).getAttribute('data-guides')) ?? '';
  return text
    .split(' ')
    .filter(Boolean)
    .map((g) => {
      const [axis, at] = g.split('=');
      return [axis!, Number(at)];
    });
}

async function newBlankFlat(page: Page, label: string): Promise<string> {
  const name = unique(label);
  await page.getByTestId('create-project-name').fill(name);
  await page.getByTestId('create-project-submit').click();
  await openProject(page, name);
  await page.getByTestId('template-blank').click();
  await expect(page.getByTestId('editor-canvas')).toHaveAttribute('data-viewport', /,/);
  return name;
}

test('eyedropper fills a panel with a swatch; group, ungroup, align, distribute and a callout with text', async ({ studio: page }) => {
  await newBlankFlat(page, 'Arrange');
  const swatchName = unique('Denim');
  await showPanel(page, 'swatches');
  await page.getByTestId('swatch-import-path').fill(DENIM_TILE);
  await page.getByTestId('swatch-import-name').fill(swatchName);
  await page.getByTestId('swatch-import-name').press('Enter');
  await expect(page.getByTestId('swatch-card').filter({ hasText: swatchName })).toHaveCount(1);
  await showPanel(page, 'layers');

  const outline = page.getByTestId('layer-outline');
  // The swatch form still has the focus, so the tool is picked from the rail, not by its key.
  await page.getByTestId('tool-rect').click();
  await dragDoc(page, [100, 100], [200, 180]);
  await dragDoc(page, [300, 150], [380, 260]);
  await dragDoc(page, [650, 120], [750, 200]);
  await expect(outline).toContainText('3');
  await expect(editor(page)).toHaveAttribute('data-history', '3/3');

  // The eyedropper's list was read when the tool was taken up, so it has the swatch imported just now.
  await page.keyboard.press('i');
  await page.getByTestId('eyedropper-swatch').selectOption({ label: swatchName });
  const swatchId = await page.getByTestId('eyedropper-swatch').inputValue();
  expect(swatchId).not.toBe('');
  await click(page, 150, 140);
  await expect(editor(page)).toHaveAttribute('data-history', '4/4');
  let { svg, shapes } = await exported(page);
  expect(svg.match(new RegExp(`data-fabric="${swatchId}"`, 'g'))).toHaveLength(1);

  // Select all three (shift adds to the selection) and align their tops.
  await page.keyboard.press('v');
  await click(page, 150, 140);
  await page.keyboard.down('Shift');
  await click(page, 340, 200);
  await click(page, 700, 160);
  await page.keyboard.up('Shift');
  await expect(page.getByTestId('selection-count')).toContainText('3');
  await page.getByTestId('align-top').click();
  await expect(editor(page)).toHaveAttribute('data-history', '5/5');
  ({ shapes } = await exported(page));
  const tops = shapes.map((s) => boxOf(s).minY);
  expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(1e-3);

  // Distribute horizontally: the middle one's centre moves halfway between the outer ones.
  await page.getByTestId('distribute-x').click();
  await expect(editor(page)).toHaveAttribute('data-history', '6/6');
  ({ shapes } = await exported(page));
  const centres = shapes.map((s) => (boxOf(s).minX + boxOf(s).maxX) / 2).sort((a, b) => a - b);
  expect(centres[1]! - centres[0]!).toBeCloseTo(centres[2]! - centres[1]!, 2);

  // Group: the group is selected as one and moves as one.
  await page.keyboard.press('Control+g');
  await expect(editor(page)).toHaveAttribute('data-history', '7/7');
  await expect(page.getByTestId('selection-count')).toContainText('1');
  const before = (await exported(page)).shapes.map((s) => boxOf(s).minX);
  await page.keyboard.press('Shift+ArrowRight');
  await expect(editor(page)).toHaveAttribute('data-history', '8/8');
  const after = (await exported(page)).shapes.map((s) => boxOf(s).minX);
  after.forEach((x, k) => expect(x - before[k]!).toBeCloseTo(10, 3));

  // Ungroup: the members stay selected, each on its own.
  await page.keyboard.press('Control+Shift+g');
  await expect(editor(page)).toHaveAttribute('data-history', '9/9');
  await expect(page.getByTestId('selection-count')).toContainText('3');
  // A click on bare page clears the selection; then a click takes one panel only.
  await click(page, 500, 1100);
  await expect(page.getByTestId('selection-count')).toContainText('0');
  const first = shapeAt((await exported(page)).shapes, 160, 110);
  const b = boxOf(first);
  await click(page, (b.minX + b.maxX) / 2, (b.minY + b.maxY) / 2);
  await expect(page.getByTestId('selection-count')).toContainText('1');
  await page.keyboard.press('Shift+ArrowDown');
  await expect(editor(page)).toHaveAttribute('data-history', '10/10');
  const moved = (await exported(page)).shapes.map((s) => boxOf(s).minY).sort((x, y) => x - y);
  expect(moved[2]! - moved[0]!).toBeCloseTo(10, 3);

  // A callout: press on what it points at, drag out to where the note goes, and type the note.
  await page.keyboard.press('n');
  await dragDoc(page, [400, 500], [520, 600]);
  await page.getByTestId('text-input').fill('Bartack 3 mm');
  await page.getByTestId('text-input').press('Enter');
  await expect(editor(page)).toHaveAttribute('data-history', '11/11');
  await expect(outline).toContainText('4');
  ({ svg } = await exported(page));
  expect(svg).toMatch(/<g[^>]*class="callout"[^>]*><polyline[^>]*\/>.*Bartack 3 mm<\/text><\/g>/);
});

test('name a version, change the flat, and restore the named version', async ({ studio: page }) => {
  await newBlankFlat(page, 'Versions');
  const outline = page.getByTestId('layer-outline');
  await page.keyboard.press('m');
  await dragDoc(page, [100, 100], [300, 300]);
  await expect(outline).toContainText('1');
  await waitSaved(page);
  const first = await digest(page);
  await expect(page.getByTestId('version-row').first()).toBeVisible();
  await page.getByTestId('version-name').fill('First fit');
  await page.getByTestId('version-name-save').click();
  const named = page.getByTestId('version-row').filter({ hasText: 'First fit' });
  await expect(named).toHaveCount(1);

  await dragDoc(page, [500, 500], [700, 650]);
  await expect(outline).toContainText('2');
  await waitSaved(page);
  await expect(page.getByTestId('version-row').first()).not.toContainText('First fit');
  expect(await digest(page)).not.toBe(first);

  await named.getByRole('button').click();
  await expect(outline).toContainText('1');
  expect(await digest(page)).toBe(first);
  await expect(page.getByTestId('version-row').filter({ hasText: 'First fit' })).toHaveCount(1);
});

test('guides: drag one out of a ruler, snap drawing and moving to it, move and delete it, keep it after a reload', async ({ studio: page }) => {
  const name = await newBlankFlat(page, 'Guides');
  const frame = page.getByTestId('editor-canvas');
  const ruler = page.getByTestId('ruler-left');

  // Out of the left ruler: a vertical guide where the pointer is let go.
  const rb = (await ruler.boundingBox())!;
  const target = await toScreen(page, 300, 900);
  await page.mouse.move(rb.x + rb.width / 2, target.y);
  await page.mouse.down();
  await page.mouse.move(target.x, target.y, { steps: 6 });
  await page.mouse.up();
  await expect(editor(page)).toHaveAttribute('data-history', '1/1');
  await expect.poll(async () => (await guides(page)).length).toBe(1);
  const [[axis, at]] = (await guides(page)) as [[string, number]];
  expect(axis).toBe('x');
  expect(Math.abs(at - 300)).toBeLessThan(3);

  // A rectangle started a few millimetres off the guide starts on it.
  await page.keyboard.press('m');
  await dragDoc(page, [at + 5, 400], [at + 150, 500]);
  await expect(editor(page)).toHaveAttribute('data-history', '2/2');
  let { shapes } = await exported(page);
  expect(boxOf(shapeAt(shapes, at + 75, 450)).minX).toBeCloseTo(at, 2);

  // The select tool snaps a moved shape's edge onto the guide, and shows what it snapped to meanwhile.
  await dragDoc(page, [600, 800], [700, 900]);
  await expect(editor(page)).toHaveAttribute('data-history', '3/3');
  await page.keyboard.press('v');
  const grab = await toScreen(page, 650, 850);
  const near = await toScreen(page, 650 - (600 - (at + 6)), 870);
  await page.mouse.move(grab.x, grab.y);
  await page.mouse.down();
  await page.mouse.move(near.x, near.y, { steps: 8 });
  await expect(frame).toHaveAttribute('data-snap', /guide/);
  await page.mouse.up();
  await expect(editor(page)).toHaveAttribute('data-history', '4/4');
  await expect(frame).toHaveAttribute('data-snap', '');
  ({ shapes } = await exported(page));
  expect(boxOf(shapeAt(shapes, at + 50, 870)).minX).toBeCloseTo(at, 2);

  // Drag the guide along with V: one undoable edit.
  await dragDoc(page, [at, 1200], [at + 100, 1200]);
  await expect(editor(page)).toHaveAttribute('data-history', '5/5');
  await expect.poll(async () => (await guides(page))[0]?.[1]).not.toBe(at);
  const [[, movedAt]] = (await guides(page)) as [[string, number]];
  expect(Math.abs(movedAt - (at + 100))).toBeLessThan(3);
  await page.keyboard.press('Control+z');
  await expect.poll(() => guides(page)).toEqual([['x', at]]);
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => guides(page)).toEqual([['x', movedAt]]);

  // Back onto its ruler removes it; undo brings it back; click + Delete removes it too.
  const onCanvas = await toScreen(page, movedAt, 1200);
  await page.mouse.move(onCanvas.x, onCanvas.y);
  await page.mouse.down();
  await page.mouse.move(rb.x + rb.width / 2, onCanvas.y, { steps: 6 });
  await page.mouse.up();
  await expect.poll(() => guides(page)).toEqual([]);
  await expect(editor(page)).toHaveAttribute('data-history', '6/6');
  await page.keyboard.press('Control+z');
  await expect.poll(() => guides(page)).toEqual([['x', movedAt]]);
  await click(page, movedAt, 1200);
  await expect(frame).toHaveAttribute('data-selected-guide', /guide-/);
  await page.keyboard.press('Delete');
  await expect.poll(() => guides(page)).toEqual([]);
  await page.keyboard.press('Control+z');

  // Out of the top ruler: a horizontal guide. Both are saved with the view.
  const tb = (await page.getByTestId('ruler-top').boundingBox())!;
  const down = await toScreen(page, 800, 1000);
  await page.mouse.move(down.x, tb.y + tb.height / 2);
  await page.mouse.down();
  await page.mouse.move(down.x, down.y, { steps: 6 });
  await page.mouse.up();
  await expect.poll(async () => (await guides(page)).length).toBe(2);
  const placed = await guides(page);
  expect(placed.map(([a]) => a)).toEqual(['x', 'y']);
  expect(Math.abs(placed[1]![1] - 1000)).toBeLessThan(3);
  await page.screenshot({ path: path.join(OUTPUT, 'editor-guides.png') });
  await waitSaved(page);
  await page.reload();
  await openProject(page, name);
  await expect(page.getByTestId('editor-canvas')).toHaveAttribute('data-guides', placed.map(([a, v]) => `${a}=${v}`).join(' '));
});

test('front and back side by side: both editable, one selection at a time, synced view', async ({ studio: page }) => {
  await newBlankFlat(page, 'Side by side');
  await page.keyboard.press('m');
  await dragDoc(page, [100, 100], [300, 300]);
  await expect(editor(page)).toHaveAttribute('data-history', '1/1');

  await page.getByTestId('toggle-side-by-side').check();
  await expect(page.getByTestId('editor-canvas')).toHaveCount(2);
  const wrap = (view: string) => page.locator(`[data-testid="canvas-wrap"][data-view="${view}"]`);
  await expect(wrap('front')).toHaveClass(/is-active/);

  // Drawing in the back canvas makes the back view the active one and draws there.
  await dragDoc(page, [500, 500], [700, 700], 'back');
  await expect(editor(page)).toHaveAttribute('data-history', '2/2');
  await expect(wrap('back')).toHaveClass(/is-active/);
  await expect(page.getByTestId('view-back')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('layer-outline')).toContainText('1');

  await page.screenshot({ path: path.join(OUTPUT, 'editor-side-by-side.png') });

  // Select in the front, then in the back: only one view holds a selection.
  await page.keyboard.press('v');
  await click(page, 200, 200, 'front');
  await expect(wrap('front')).toHaveClass(/is-active/);
  await expect(page.getByTestId('selection-count')).toContainText('1');
  await click(page, 600, 600, 'back');
  await expect(wrap('back')).toHaveClass(/is-active/);
  await expect(page.getByTestId('selection-count')).toContainText('1');
  // Delete acts on the back view's selection only.
  await page.keyboard.press('Delete');
  await expect(editor(page)).toHaveAttribute('data-history', '3/3');
  await expect(page.getByTestId('layer-outline')).toContainText('0');
  await page.getByTestId('view-front').click();
  await expect(page.getByTestId('layer-outline')).toContainText('1');

  // Zooming one canvas zooms the other the same way.
  const centre = await toScreen(page, 500, 600, 'front');
  await page.mouse.move(centre.x, centre.y);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -200);
  await page.keyboard.up('Control');
  await expect.poll(async () => (await canvasOf(page, 'back').getAttribute('data-viewport')) === (await canvasOf(page, 'front').getAttribute('data-viewport'))).toBe(true);

  await page.getByTestId('toggle-side-by-side').uncheck();
  await expect(page.getByTestId('editor-canvas')).toHaveCount(1);
});

test('direct selection: a dragged anchor carries its bezier handles', async ({ studio: page }) => {
  await newBlankFlat(page, 'Handles');
  await page.keyboard.press('l');
  await dragDoc(page, [100, 100], [300, 300]);
  await expect(editor(page)).toHaveAttribute('data-history', '1/1');
  const offsets = (shape: Shape) => {
    // The anchor at the bottom of the ellipse: its incoming and outgoing handles, relative to it.
    const k = shape.segments.findIndex((s) => s.kind === 'C' && s.to.y === Math.max(...shape.segments.map((q) => (q.kind === 'Z' ? -Infinity : q.to.y))));
    const inSeg = shape.segments[k] as Extract<Segment, { kind: 'C' }>;
    const outSeg = shape.segments[k + 1] as Extract<Segment, { kind: 'C' }>;
    return { at: inSeg.to, c2: { x: inSeg.c2.x - inSeg.to.x, y: inSeg.c2.y - inSeg.to.y }, c1: { x: outSeg.c1.x - inSeg.to.x, y: outSeg.c1.y - inSeg.to.y } };
  };
  const before = offsets((await exported(page)).shapes[0]!);
  expect(Math.abs(before.at.y - 300)).toBeLessThan(3);

  await page.keyboard.press('a');
  await click(page, 200, 200);
  await dragDoc(page, [before.at.x, before.at.y], [before.at.x + 30, before.at.y + 40]);
  await expect(editor(page)).toHaveAttribute('data-history', '2/2');
  const after = offsets((await exported(page)).shapes[0]!);
  expect(after.at.y - before.at.y).toBeGreaterThan(30);
  for (const h of ['c1', 'c2'] as const) {
    expect(after[h].x).toBeCloseTo(before[h].x, 2);
    expect(after[h].y).toBeCloseTo(before[h].y, 2);
  }

  // With live mirroring on, a shape drawn right of the centre front gets a twin, and a dragged
  // anchor's mirror image moves on the other side.
  await page.getByTestId('toggle-symmetry').check();
  await page.getByTestId('tool-rect').click();
  await dragDoc(page, [560, 700], [700, 800]);
  await expect(editor(page)).toHaveAttribute('data-history', '4/4');
  await page.getByTestId('tool-direct').click();
  await click(page, 630, 750);
  await dragDoc(page, [700, 800], [730, 840]);
  await expect(editor(page)).toHaveAttribute('data-history', '5/5');
  const { shapes } = await exported(page);
  const right = boxOf(shapeAt(shapes, 650, 750));
  const left = boxOf(shapeAt(shapes, 350, 750));
  expect(right.maxX).toBeGreaterThan(720);
  expect(left.minX).toBeCloseTo(1000 - right.maxX, 2);
  expect(left.maxY).toBeCloseTo(right.maxY, 2);
});

/**
 * Drops a motif on the canvas as the motif panel's drag would (its MIME type and JSON): Alt places a
 * print, Shift fills the panel under it. The motif id is not in any library, so the canvas shows the
 * crossed placement box and paints no repeat: what is checked here is the document.
 */
async function dropMotif(page: Page, x: number, y: number, keys: { altKey?: boolean; shiftKey?: boolean }): Promise<void> {
  const at = await toScreen(page, x, y);
  await canvasOf(page).evaluate(
    (el, { at, keys }) => {
      const data = new DataTransfer();
      data.setData('application/x-jinxiu-motif', JSON.stringify({ motifId: '00000000-0000-4000-8000-0000000000e2', caption: 'Lotus roundel' }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true, clientX: at.x, clientY: at.y, ...keys }));
    },
    { at, keys },
  );
}

test('a placed print and a motif repeat are edited in the properties panel, one undo step each', async ({ studio: page }) => {
  await newBlankFlat(page, 'Print properties');
  await page.keyboard.press('m');
  await dragDoc(page, [100, 100], [300, 300]);
  await expect(editor(page)).toHaveAttribute('data-history', '1/1');
  // A print is 0.4 of the panel's smaller side: 80 mm, shown as 8 cm.
  await dropMotif(page, 200, 200, { altKey: true });
  await expect(editor(page)).toHaveAttribute('data-history', '2/2');

  await page.keyboard.press('v');
  await click(page, 200, 200);
  const print = page.getByTestId('print-properties');
  await expect(print).toBeVisible();
  // The rectangle was dragged on screen pixels, so its sides are 200 mm give or take a pixel.
  expect(Number(await print.getByTestId('print-width').inputValue())).toBeCloseTo(8, 1);
  await print.getByTestId('print-width').fill('12');
  await print.getByTestId('print-width').press('Enter');
  await expect(editor(page)).toHaveAttribute('data-history', '3/3');
  // The height follows the width: the artwork keeps its proportions (a square one here).
  await expect(print.getByTestId('print-width')).toHaveValue('12');
  expect(Number(await print.getByTestId('print-height').inputValue())).toBeCloseTo(12, 1);
  await print.getByTestId('print-opacity').fill('40');
  await print.getByTestId('print-opacity').press('Enter');
  await expect(editor(page)).toHaveAttribute('data-history', '4/4');
  // A value out of range is refused with its reason and changes nothing.
  await print.getByTestId('print-opacity').fill('150');
  await print.getByTestId('print-opacity').press('Enter');
  await expect(print.getByTestId('print-opacity-error')).toBeVisible();
  await expect(editor(page)).toHaveAttribute('data-history', '4/4');
  await page.getByTestId('undo').click();
  await expect(editor(page)).toHaveAttribute('data-history', '3/4');
  await expect(print.getByTestId('print-opacity')).toHaveValue('100');
  await expect(print.getByTestId('print-opacity-error')).toHaveCount(0);

  // Shift-drop beside the print fills the panel with a 10 cm repeat; select the panel to edit it.
  await dropMotif(page, 120, 280, { shiftKey: true });
  await expect(editor(page)).toHaveAttribute('data-history', '4/4');
  await click(page, 120, 280);
  const fill = page.getByTestId('motif-fill-properties');
  await expect(fill.getByTestId('motif-fill-repeat')).toHaveValue('10');
  await fill.getByTestId('motif-fill-repeat').fill('25');
  await fill.getByTestId('motif-fill-repeat').press('Enter');
  await expect(editor(page)).toHaveAttribute('data-history', '5/5');
  await fill.getByTestId('motif-fill-angle').fill('30');
  await fill.getByTestId('motif-fill-angle').press('Enter');
  await expect(editor(page)).toHaveAttribute('data-history', '6/6');
  expect((await exported(page)).svg).toMatch(/data-motif-repeat-cm="25"/);
  await fill.getByTestId('motif-fill-remove').click();
  await expect(editor(page)).toHaveAttribute('data-history', '7/7');
  await expect(fill).toHaveCount(0);
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('motif-fill-properties').getByTestId('motif-fill-repeat')).toHaveValue('25');
  await expect(page.getByTestId('motif-fill-properties').getByTestId('motif-fill-angle')).toHaveValue('30');
  await waitSaved(page);
});
