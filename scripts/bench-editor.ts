/**
 * Frame time of the flat editor with 2,000 objects on the canvas, in Chromium, while the view is
 * panned (space-drag and wheel) and an object is dragged. Needs a built renderer: npx electron-vite build.
 *
 * A frame's time is measured from the frame's requestAnimationFrame timestamp to a message posted from
 * a rAF callback, which runs after the frame's input handling, rAF callbacks (fabric's render) and paint.
 * Prints p50/p95/max per scenario.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startHarness } from '../src/main/host/harness';

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 2000);
const ROOT = path.resolve(import.meta.dirname, '..');

/** A flat of OBJECTS small closed bezier panels on a grid, as an SVG the studio imports. */
function generatedFlat(n: number): string {
  const cols = Math.ceil(Math.sqrt(n));
  const cell = 1000 / cols;
  const paths: string[] = [];
  for (let k = 0; k < n; k++) {
    const x = (k % cols) * cell + cell * 0.15;
    const y = Math.floor(k / cols) * cell + cell * 0.15;
    const s = cell * 0.7;
    paths.push(
      `<path d="M${x} ${y} C${x + s * 0.3} ${y - s * 0.1} ${x + s * 0.7} ${y - s * 0.1} ${x + s} ${y} L${x + s} ${y + s} C${x + s * 0.6} ${y + s * 1.1} ${x + s * 0.4} ${y + s * 1.1} ${x} ${y + s} Z" fill="#ffffff" stroke="#1d1d1f" stroke-width="0.6"/>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1000mm" height="1000mm" viewBox="0 0 1000 1000">${paths.join('')}</svg>`;
}

// Passed as source text: tsx would otherwise wrap the functions with a helper the page does not have.
const START_RECORDING = `(() => {
  window.__frames = [];
  window.__recording = true;
  const channel = new MessageChannel();
  let frameStart = 0;
  channel.port1.onmessage = () => { window.__frames.push(performance.now() - frameStart); };
  const tick = (t) => {
    if (!window.__recording) return;
    frameStart = t;
    channel.port2.postMessage(0);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;
const STOP_RECORDING = `(() => { window.__recording = false; return window.__frames.slice(2); })()`;

async function startRecording(page: Page): Promise<void> {
  await page.evaluate(START_RECORDING);
}

async function stopRecording(page: Page): Promise<number[]> {
  return (await page.evaluate(STOP_RECORDING)) as number[];
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function main(): Promise<void> {
  const libraryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-bench-editor-'));
  const harness = await startHarness({ libraryDir, rendererDir: path.join(ROOT, 'out/renderer') });
  const browser = await chromium.launch({ executablePath: process.env.PLAYWRIGHT_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage', ...(process.env.BENCH_GPU === '1' ? [] : ['--disable-gpu'])] });
  const rows: { scenario: string; frames: number; p50: number; p95: number; max: number }[] = [];
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(harness.url);
    await page.getByTestId('create-project-name').fill('Editor bench');
    await page.getByTestId('create-project-submit').click();
    await page.getByTestId('project-open').first().click();
    await page.getByTestId('flat-import-input').setInputFiles({ name: 'bench.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(generatedFlat(OBJECTS)) });
    await page.getByTestId('editor-canvas').waitFor();
    await page.waitForTimeout(1500);
    const box = (await page.getByTestId('editor-canvas').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    // Rulers and guides are painted in every scenario: two guides out of each ruler, dragged as a
    // technician would (a build from before rulers has none, which makes it the baseline).
    let guideCount = 0;
    for (const [ruler, along] of [['ruler-left', 0.3], ['ruler-left', 0.7], ['ruler-top', 0.3], ['ruler-top', 0.7]] as const) {
      const r = await page.getByTestId(ruler).boundingBox();
      if (!r) break;
      const vertical = ruler === 'ruler-left';
      const from = vertical ? { x: r.x + r.width / 2, y: box.y + box.height * 0.5 } : { x: box.x + box.width * 0.5, y: r.y + r.height / 2 };
      const to = vertical ? { x: box.x + box.width * along, y: from.y } : { x: from.x, y: box.y + box.height * along };
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move(to.x, to.y, { steps: 5 });
      await page.mouse.up();
      guideCount++;
    }
    const guides = ((await page.getByTestId('editor-canvas').getAttribute('data-guides')) ?? '').split(' ').filter(Boolean).length;
    if (guides !== guideCount) throw new Error(`Placed ${guideCount} guides but the canvas shows ${guides}.`);

    const measure = async (scenario: string, act: () => Promise<void>) => {
      await startRecording(page);
      await act();
      const frames = await stopRecording(page);
      rows.push({ scenario, frames: frames.length, p50: pct(frames, 50), p95: pct(frames, 95), max: Math.max(...frames) });
    };

    await measure('pan (space-drag)', async () => {
      await page.mouse.move(cx, cy);
      await page.keyboard.down(' ');
      await page.mouse.down();
      for (let k = 0; k < 120; k++) await page.mouse.move(cx + 200 * Math.sin(k / 10), cy + 120 * Math.cos(k / 10));
      await page.mouse.up();
      await page.keyboard.up(' ');
    });
    await measure('pan (wheel)', async () => {
      await page.mouse.move(cx, cy);
      for (let k = 0; k < 120; k++) await page.mouse.wheel(k % 40 < 20 ? 12 : -12, k % 60 < 30 ? 8 : -8);
    });
    await page.getByTestId('zoom-fit').click();
    await page.keyboard.press('v');
    const vpt = (await page.getByTestId('editor-canvas').getAttribute('data-viewport'))!.split(',').map(Number);
    // The first generated panel's middle.
    const cell = 1000 / Math.ceil(Math.sqrt(OBJECTS));
    const px = box.x + vpt[0]! * cell * 0.5 + vpt[4]!;
    const py = box.y + vpt[3]! * cell * 0.5 + vpt[5]!;
    await measure('drag one panel', async () => {
      await page.mouse.move(px, py);
      await page.mouse.down();
      for (let k = 0; k < 120; k++) await page.mouse.move(px + 150 * Math.sin(k / 12), py + 100 * (1 - Math.cos(k / 12)));
      await page.mouse.up();
    });
    const history = await page.getByTestId('panel-editor').getAttribute('data-history');
    const synced = await page.getByTestId('editor-canvas').getAttribute('data-synced');
    process.stdout.write(
      `\nFlat editor frame time, ${OBJECTS} objects, ${guides} guides${guides ? ' and rulers' : ' (no rulers in this build)'}, Chromium ${browser.version()} (after the drag: history ${history}, objects rebuilt/on canvas ${synced})\n`,
    );
    process.stdout.write(`${'scenario'.padEnd(20)} ${'frames'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)}\n`);
    for (const r of rows)
      process.stdout.write(`${r.scenario.padEnd(20)} ${String(r.frames).padStart(7)} ${r.p50.toFixed(2).padStart(8)} ${r.p95.toFixed(2).padStart(8)} ${r.max.toFixed(2).padStart(8)}\n`);
  } finally {
    await browser.close();
    await harness.close();
    fs.rmSync(libraryDir, { recursive: true, force: true });
  }
}

await main();
