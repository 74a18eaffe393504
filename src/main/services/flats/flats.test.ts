import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors';
import { anchorPoint, execute, lineBetween, loadFlat, startEditing } from '../../../shared/flat';
import { FlatDocumentSchema, type Shape } from '../../../shared/flat/schema';
import { exportSvg, importSvg } from '../../../shared/flat/svg';
import { sampleFlat } from '../../../shared/flat/testing/fixtures';
import { decodePng, exportPng, importSvgFile, measureFlatFidelity, pixelDifference, pngPrintScale, rasteriseToPixels } from '.';
import { MAX_PNG_PIXELS } from './files';
import { DEFAULT_TEMPLATES_DIR } from './templates';
import { testFixture } from '../../test-fixtures';

/** A few FreeSewing flats; `npm run report:flat-fidelity` measures all of the shared ones. */
const dir = testFixture('garment_flats');
const svgFiles = fs.readdirSync(path.join(dir, 'flats_svg')).filter((f) => f.endsWith('.svg')).sort();
const template = (name: string) => loadFlat(JSON.parse(fs.readFileSync(path.join(DEFAULT_TEMPLATES_DIR, `${name}.json`), 'utf8')));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-flats-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('real garment flats', () => {
  it('are all there', () => {
    expect(svgFiles).toEqual(['aaron.svg', 'lucy.svg', 'shin.svg']);
  });

  it.each(svgFiles)('%s imports into a valid flat with nothing left out', async (file) => {
    const { doc, report } = await importSvgFile(path.join(dir, 'flats_svg', file));
    expect(() => FlatDocumentSchema.parse(doc)).not.toThrow();
    expect(doc.name).toBe(file.replace(/\.svg$/, ''));
    expect(doc.views[0]!.items.length).toBeGreaterThan(0);
    expect(report.dropped).toEqual([]);
  });
});

describe('front and back side by side', () => {
  it.each(svgFiles)('%s splits into a front and a back view, each with its axis', (file) => {
    const text = fs.readFileSync(path.join(dir, 'flats_svg', file), 'utf8');
    const whole = importSvg(text).doc;
    const { doc } = importSvg(text, { views: 'split' });
    expect(doc.views.map((v) => v.id)).toEqual(['front', 'back']);
    // A path drawing both sides becomes two items, one per view; nothing is lost.
    const segments = (items: typeof whole.views[0]['items']) => items.reduce((n, i) => n + ('segments' in i ? i.segments.length : 1), 0);
    expect(segments(doc.views[0]!.items) + segments(doc.views[1]!.items)).toBe(segments(whole.views[0]!.items));
    expect(doc.views[0]!.items.length).toBeGreaterThan(0);
    expect(doc.views[1]!.items.length).toBeGreaterThan(0);
    expect(doc.page.width).toBeCloseTo(whole.page.width / 2, 6);
    for (const v of doc.views) if (v.items.length) expect(v.axisX).toBeGreaterThan(0);
  });
});

/**
 * Thresholds set from `npm run report:flat-fidelity` (resvg 2.6.2 on all 35 flats): export vs
 * original was at most MAD 0.098 and 0.072% differing pixels (lucy), export vs the reference PNG at
 * most MAD 0.273 and 0.124%, the original vs that PNG being just the same. Each limit leaves about
 * 3x headroom so a real loss (a dropped panel, a wrong colour, a misplaced transform) fails.
 */
const LIMITS = { exportVsOriginal: { mad: 0.3, pct: 0.25 }, exportVsPng: { mad: 0.8, pct: 0.4 } };

describe('import/export fidelity', () => {
  it.each(svgFiles)('%s re-exports to what the original rasterises to', async (file) => {
    const r = await measureFlatFidelity(path.join(dir, 'flats_svg', file), path.join(dir, 'flats_png', file.replace(/\.svg$/, '.png')));
    expect(r.exportVsOriginal.meanAbsDiff).toBeLessThan(LIMITS.exportVsOriginal.mad);
    expect(r.exportVsOriginal.differingPct).toBeLessThan(LIMITS.exportVsOriginal.pct);
    expect(r.exportVsPng.meanAbsDiff).toBeLessThan(LIMITS.exportVsPng.mad);
    expect(r.exportVsPng.differingPct).toBeLessThan(LIMITS.exportVsPng.pct);
  });

  it('notices a real loss: a flat with one panel dropped fails the limits', async () => {
    const file = path.join(dir, 'flats_svg', 'aaron.svg');
    const original = fs.readFileSync(file, 'utf8');
    const { doc } = importSvg(original);
    const lossy = { ...doc, views: [{ ...doc.views[0]!, items: doc.views[0]!.items.slice(1) }] };
    const size = { width: 1024, background: '#ffffff' };
    const d = pixelDifference(rasteriseToPixels(original, size), rasteriseToPixels(exportSvg(lossy), size));
    expect(d.meanAbsDiff).toBeGreaterThan(LIMITS.exportVsOriginal.mad);
  });
});

describe('files and PNG export', () => {
  it('refuses an SVG file over the size limit without reading it', async () => {
    const big = path.join(tmp, 'huge.svg');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, 50 * 1024 * 1024);
    await expect(importSvgFile(big)).rejects.toThrow(/is 50\.0 MB; the largest accepted is 10\.0 MB/);
    await expect(importSvgFile(path.join(tmp, 'missing.svg'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(importSvgFile(tmp)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('exports a PNG at the chosen DPI of the real size', () => {
    const doc = sampleFlat(); // 200 x 200 mm
    const png = decodePng(exportPng(doc, { dpi: 72 }));
    expect([png.width, png.height]).toEqual([567, 567]);
    // Top-left is background white; the panel's fill-and-stroke edge at (60 mm, 60 mm) is dark.
    expect(Array.from(png.pixels.slice(0, 3))).toEqual([255, 255, 255]);
    const at = (xMm: number, yMm: number) => {
      const i = (Math.round((yMm / 25.4) * 72) * png.width + Math.round((xMm / 25.4) * 72)) * 4;
      return png.pixels[i]!;
    };
    expect(at(60, 80)).toBeLessThan(100);
    expect(() => exportPng(doc, { dpi: 5000 })).toThrow(AppError);
    // A 1 x 1.3 m coat at 1200 dpi would be 47245 x 61418 px: it is drawn at 1:10 (4724 x 6142 px, 120 dpi of its real size).
    const coat = { ...doc, page: { width: 1000, height: 1300 } };
    expect(pngPrintScale(coat, 1200)).toBe(10);
    expect(pngPrintScale(coat, 150)).toBe(1);
    const reduced = decodePng(exportPng(coat, { dpi: 1200 }));
    expect([reduced.width, reduced.height]).toEqual([4724, 6142]);
  });

  it('exports a flat calibrated to a page of metres at a drawing-office print scale instead of refusing', () => {
    const tee = template('t-shirt');
    // Its HPS-to-hem point of measure (about 70 cm at the template's scale) calibrated to 5 m: a 7 x 9.2 m page.
    const front = tee.views[0]!;
    const pom = front.poms[0]!;
    const body = front.items.find((i) => i.id === pom.from.shapeId) as Shape;
    const length = lineBetween(anchorPoint(body.segments, pom.from.segment)!, anchorPoint(body.segments, pom.to.segment)!).length;
    const giant = execute(startEditing(tee), { type: 'calibrate', length, cm: 500 }).doc;
    const mm = [giant.page.width * giant.units.mmPerUnit, giant.page.height * giant.units.mmPerUnit];
    expect(mm[0]).toBeGreaterThan(7000);
    // At 150 dpi of real size: about 41900 x 54500 px (2.3 gigapixels); at 1:5 still 91 MP, so 1:10.
    expect(pngPrintScale(giant, 150)).toBe(10);
    const png = decodePng(exportPng(giant, { dpi: 150 }));
    expect(png.width * png.height).toBeLessThanOrEqual(MAX_PNG_PIXELS);
    // Drawn at 1:10, 150 dpi: a tenth of the page's real size in pixels.
    expect(Math.abs(png.width - (mm[0]! / 25.4) * (150 / 10))).toBeLessThanOrEqual(1);
    // The outline is drawn: dark pixels along the page's middle row.
    const row = Math.round(png.height / 2);
    let dark = 0;
    for (let x = 0; x < png.width; x++) if (png.pixels[(row * png.width + x) * 4]! < 100) dark++;
    expect(dark).toBeGreaterThan(1);
  });
});
