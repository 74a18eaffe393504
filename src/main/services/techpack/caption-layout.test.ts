import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlatDocument } from '../../../shared/flat';
import { CALLOUT_TEXT_PT } from '../../../shared/techpack';
import { Library } from '../library';
import { sheetFonts } from './font';
import { TechPackService } from './service';
import { layoutTechPack } from './sheets';
import { getRevision } from './store';
import { insertFlat, sampleProject, techPackSources, template, type SampleProject } from './test-kit';

/** Pages the lead looks at: test-output/techpack-caption/ (git-ignored). */
const OUTPUT = fileURLToPath(new URL('../../../../test-output/techpack-caption', import.meta.url));

/** A museum label as the library may hold it: about 400 characters of Chinese and English. */
const CAPTION_ZH =
  '莫高窟第二二〇窟北壁药师经变局部，初唐，贞观十六年（公元六四二年）。壁画以石青、石绿、朱砂绘成，画中乐舞场面宏大，舞伎胡旋，乐队分列两侧，灯树高耸，' +
  '反映了唐代长安宫廷燕乐的盛况。图案中的联珠纹、卷草纹与宝相花纹交织，是研究唐代丝绸纹样与中外文化交流的重要实物资料。';
const CAPTION_EN =
  'Mogao Cave 220, north wall, detail of the Medicine Buddha tableau, early Tang dynasty, dated 642 CE. Painted in azurite, malachite and cinnabar, ' +
  'the mural shows a grand scene of music and dance: Sogdian whirling dancers between two orchestras beneath towering lamp trees, echoing the banquet ' +
  'music of the court at Chang’an. Its pearl roundels, scrolling vines and baoxiang flowers interlace as on the silks of the period.';

let dir: string;
let lib: Library;
let sample: SampleProject;
let service: TechPackService;
let motifId: string;

/** The sample tee with the motif printed on the chest and a callout, its drawing scaled by `scale` (the garment drawn larger in its own units). */
function printedTee(name: string, scale: number): FlatDocument {
  const flat = template('t-shirt');
  flat.name = name;
  const front = flat.views.find((v) => v.id === 'front')!;
  const scaled = (v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    const p = v as Record<string, unknown>;
    if (typeof p.x === 'number' && typeof p.y === 'number') [p.x, p.y] = [p.x * scale, p.y * scale];
    else Object.values(p).forEach(scaled);
  };
  scaled(front.items);
  front.items.push(
    { id: 'chest', layerId: front.layers[0]!.id, name: 'Chest print', type: 'print', motifId, at: { x: 400 * scale, y: 300 * scale }, width: 120 * scale, height: 120 * scale, rotation: 0, opacity: 1 },
    { id: `callout-${name}`, layerId: front.layers[0]!.id, name: '', type: 'callout', text: `Print ${name} 印花`, at: { x: 420 * scale, y: 200 * scale }, leader: [{ x: 420 * scale, y: 205 * scale }, { x: 400 * scale, y: 300 * scale }], fontSize: 6, colour: '#000000' },
  );
  return flat;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-techpack-caption-'));
  lib = Library.open(dir);
  service = new TechPackService(lib, techPackSources(lib));
  sample = await sampleProject(lib);
  motifId = sample.document.motifs![0]!.motifId;
  lib.db.prepare('UPDATE motifs SET caption_zh = ?, caption_en = ? WHERE id = ?').run(CAPTION_ZH, CAPTION_EN, motifId);
  insertFlat(lib, sample.projectId, printedTee('Small', 1));
  insertFlat(lib, sample.projectId, printedTee('Large', 3));
  // Printed on the flats only: the motif is credited without a reference, as a technician places it.
  service.save(sample.projectId, { ...sample.document, motifs: [] });
  fs.rmSync(OUTPUT, { recursive: true, force: true });
  fs.mkdirSync(OUTPUT, { recursive: true });
});

afterAll(() => {
  lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

describe('a long museum caption on a printed motif', () => {
  it('lays out wrapped and cut with an ellipsis, warns where to write a shorter one, and exports with the full text kept', async () => {
    expect(CAPTION_ZH.length + CAPTION_EN.length).toBeGreaterThanOrEqual(400);
    const report = service.preflight(sample.projectId);
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const warning = report.issues.find((i) => i.code === 'TEXT_TRUNCATED')!;
    expect(warning.target).toEqual({ section: 'motifs', itemId: motifId });
    expect(warning.message).toMatch(/^Motif caption: "莫高窟第二二〇窟.*" is shortened to fit its box on the sheet; the full text is kept\. Write the caption to print under Motifs\.$/);

    const out = path.join(OUTPUT, 'long-caption.pdf');
    const result = await service.export({ projectId: sample.projectId, format: 'pdf', out });
    expect(result.newRevision).toBe(true);
    const text = pdfText(out).replace(/\s+/g, ' ');
    // Wrapped over more than one line, then cut: its start is printed, its end is not, and an ellipsis marks the cut.
    expect(text).toContain('莫高窟第二二〇窟北壁药师经变局部');
    expect(text).not.toContain('as on the silks of the period');
    expect(text).toMatch(/…/);
    // The revision's snapshot and the library keep the whole caption.
    const row = service.get(sample.projectId);
    const snapshot = getRevision(lib.db, row.id, result.revision).snapshot.techPack.motifs.find((m) => m.id === motifId)!;
    expect([snapshot.captionZh, snapshot.captionEn]).toEqual([CAPTION_ZH, CAPTION_EN]);
    expect(snapshot.caption).toBeUndefined();
    execFileSync('pdftoppm', ['-r', '70', '-png', out, path.join(OUTPUT, 'long-caption')]);
  });

  it("prints the caption the pack gives instead of the library's, which keeps its full text", async () => {
    const doc = service.get(sample.projectId).document;
    service.save(sample.projectId, { ...doc, motifCaptions: { [motifId]: 'Mogao Cave 220 dancers 莫高窟220窟胡旋舞' } });
    const report = service.preflight(sample.projectId);
    expect(report.issues.filter((i) => i.code === 'TEXT_TRUNCATED')).toEqual([]);
    const out = path.join(OUTPUT, 'pack-caption.pdf');
    const result = await service.export({ projectId: sample.projectId, format: 'pdf', out });
    const text = pdfText(out);
    expect(text).toContain('Mogao Cave 220 dancers 莫高窟220窟胡旋舞');
    expect(text).not.toContain('莫高窟第二二〇窟北壁');
    const motif = getRevision(lib.db, service.get(sample.projectId).id, result.revision).snapshot.techPack.motifs.find((m) => m.id === motifId)!;
    expect(motif.caption).toBe('Mogao Cave 220 dancers 莫高窟220窟胡旋舞');
    expect(motif.captionZh).toBe(CAPTION_ZH);
    service.save(sample.projectId, { ...doc, motifCaptions: {} });
  });
});

describe('callout text in print units', () => {
  it('sets callouts on the flats sheets at the same point size whatever the scale the garment is drawn at', async () => {
    const out = path.join(OUTPUT, 'callouts.pdf');
    await service.export({ projectId: sample.projectId, format: 'pdf', out });
    const heights = (word: string) => {
      const bbox = execFileSync('pdftotext', ['-bbox', out, '-'], { encoding: 'utf8' });
      return [...bbox.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g)]
        .filter((m) => m[3] === word)
        .map((m) => Number(m[2]) - Number(m[1]));
    };
    // Each callout is written on its drawing (and listed at 7 pt in the legend): on the drawing at
    // CALLOUT_TEXT_PT for the flat drawn at 1x and the one drawn at 3x alike.
    for (const word of ['Small', 'Large']) {
      const sizes = heights(word).map((h) => Math.round(h * 10) / 10);
      expect(sizes).toContain(CALLOUT_TEXT_PT);
      expect(sizes).toContain(7);
    }
    // The sample's garment-scale callout (18 units) used to print at about 6 pt; it is now as big as every other one.
    expect(heights('罗纹领').map(Math.round)).toContain(CALLOUT_TEXT_PT);
  });

  it('keeps callout text out of the flat drawing, as sheet text at its anchor inside the view frame', async () => {
    const row = service.get(sample.projectId);
    const snapshot = getRevision(lib.db, row.id, service.revisions(sample.projectId).at(-1)!.revision).snapshot.techPack;
    const { set } = layoutTechPack(snapshot, sheetFonts());
    const sheet = set.sheets.find((s) => s.title.endsWith('Large'))!;
    const flat = sheet.ops.find((o) => o.kind === 'flat')!;
    expect(flat.kind === 'flat' && flat.svg.includes('Print Large')).toBe(false);
    const callout = sheet.ops.find((o) => o.kind === 'text' && o.text === 'Print Large 印花')!;
    expect(callout.kind === 'text' && callout.size).toBe(CALLOUT_TEXT_PT);
    if (callout.kind === 'text' && flat.kind === 'flat') {
      expect(callout.x).toBeGreaterThanOrEqual(flat.x - 10);
      expect(callout.y).toBeGreaterThanOrEqual(flat.y - 20);
      expect(callout.y).toBeLessThanOrEqual(flat.y + flat.h);
    }
  });
});

describe('live preview of the form as typed', () => {
  it('previews and checks an unsaved draft, saving nothing', async () => {
    const saved = service.get(sample.projectId).document;
    const draft = { ...saved, cover: { ...saved.cover, styleNumber: '' } };
    const preview = await service.previewSheet(sample.projectId, 0, 40, draft);
    expect(preview.png!.subarray(1, 4).toString()).toBe('PNG');
    expect(preview.preflight.issues.map((i) => `${i.code} ${i.target.section}#${i.target.itemId}`)).toContain('COVER_INCOMPLETE cover#styleNumber');
    expect(preview.outline!.motifs.map((m) => m.id)).toEqual([motifId]);
    expect(preview.outline!.pomRows.length).toBeGreaterThan(0);
    expect(service.get(sample.projectId).document).toEqual(saved);
    expect(service.preflight(sample.projectId).issues.some((i) => i.code === 'COVER_INCOMPLETE' && i.target.itemId === 'styleNumber')).toBe(false);
  });

  it('names the field of a draft that does not match the schema, with no picture to draw', async () => {
    const saved = service.get(sample.projectId).document;
    const draft = { ...saved, pom: { ...saved.pom, rows: [{ id: 'pom-x', code: 'X', description: '', value: '1,5', unit: 'cm', tolerance: null }] } };
    const preview = await service.previewSheet(sample.projectId, 0, 40, draft);
    expect(preview.png).toBeNull();
    expect(preview.outline).toBeNull();
    expect(preview.preflight.ok).toBe(false);
    expect(preview.preflight.issues).toEqual([
      {
        severity: 'error',
        code: 'DOCUMENT_INVALID',
        message: 'pom.rows.0.value: A measurement is a decimal number such as 1.5.',
        // The studio words the finding from these in the technician's language (preflight-wording.ts).
        params: { path: 'pom.rows.0.value', reason: 'A measurement is a decimal number such as 1.5.' },
        target: { section: 'pom', itemId: 'pom-x' },
      },
    ]);
    expect(service.preflight(sample.projectId, undefined, draft)).toEqual(preview.preflight);
  });
});
