import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorPoint, execute, lineBetween, startEditing, type FlatDocument, type Shape } from '../../../shared/flat';
import { POM_TEXT_PT } from '../../../shared/techpack';
import { decodePng } from '../flats';
import { Library } from '../library';
import { sheetFonts } from './font';
import { TechPackService } from './service';
import { layoutTechPack } from './sheets';
import { getRevision } from './store';
import { insertFlat, sampleProject, techPackSources, template, type SampleProject } from './test-kit';

/** Pages to look at: test-output/techpack-print-scale/ (git-ignored). */
const OUTPUT = fileURLToPath(new URL('../../../../test-output/techpack-print-scale', import.meta.url));

let dir: string;
let lib: Library;
let sample: SampleProject;
let service: TechPackService;

/**
 * The tee template calibrated, with the editor's calibrate command, so its point of measure from the
 * high point of shoulder to the hem reads `cm`: 140 cm makes a 2 m garment on a 2 x 2.6 m page,
 * 500 cm a 7 m page (about 41900 x 54300 px at 150 dpi of its real size).
 */
function calibratedTee(name: string, cm: number): FlatDocument {
  const tee = template('t-shirt');
  tee.name = name;
  const front = tee.views.find((v) => v.id === 'front')!;
  const pom = front.poms[0]!;
  const body = front.items.find((i) => i.id === pom.from.shapeId) as Shape;
  const line = lineBetween(anchorPoint(body.segments, pom.from.segment)!, anchorPoint(body.segments, pom.to.segment)!);
  return execute(startEditing(tee), { type: 'calibrate', length: line.length, cm }).doc;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-techpack-print-scale-'));
  lib = Library.open(dir);
  service = new TechPackService(lib, techPackSources(lib));
  sample = await sampleProject(lib);
  insertFlat(lib, sample.projectId, calibratedTee('Tall', 140));
  insertFlat(lib, sample.projectId, calibratedTee('Giant', 500));
  service.save(sample.projectId, sample.document);
  fs.rmSync(OUTPUT, { recursive: true, force: true });
  fs.mkdirSync(OUTPUT, { recursive: true });
});

afterAll(() => {
  lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Each word's height on the PDF's pages, in points, as poppler lays the text out. */
function wordHeights(pdf: string, word: string): number[] {
  const bbox = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' });
  return [...bbox.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g)]
    .filter((m) => m[3] === word)
    .map((m) => Math.round((Number(m[2]) - Number(m[1])) * 10) / 10);
}

describe('points of measure on the flats sheets', () => {
  it('prints each POM label at the same readable point size, whatever scale the garment is calibrated to', async () => {
    const out = path.join(OUTPUT, 'poms.pdf');
    await service.export({ projectId: sample.projectId, format: 'pdf', out });
    // The template's HPS-CL at its own scale (70.51 cm), and calibrated to 140 and 500 cm: front and back each.
    for (const value of ['70.51', '140', '500']) expect(wordHeights(out, value), value).toEqual([POM_TEXT_PT, POM_TEXT_PT]);
  });

  it('draws the label and its line as sheet marks beside the drawing, not inside the flat at garment scale', () => {
    const row = service.get(sample.projectId);
    const snapshot = getRevision(lib.db, row.id, service.revisions(sample.projectId).at(-1)!.revision).snapshot.techPack;
    const { set } = layoutTechPack(snapshot, sheetFonts());
    const sheet = set.sheets.find((s) => s.title.endsWith('Giant'))!;
    const flats = sheet.ops.filter((o) => o.kind === 'flat');
    expect(flats.every((f) => f.kind === 'flat' && !f.svg.includes('HPS-CL') && !f.svg.includes('class="pom"'))).toBe(true);
    const labels = sheet.ops.filter((o) => o.kind === 'text' && o.text === 'HPS-CL 500 cm');
    expect(labels).toHaveLength(2);
    for (const [i, label] of labels.entries()) {
      const flat = flats[i]!;
      if (label.kind !== 'text' || flat.kind !== 'flat') throw new Error('not a label over a flat');
      expect(label.size).toBe(POM_TEXT_PT);
      expect(label.x).toBeGreaterThanOrEqual(flat.x - 10);
      expect(label.x).toBeLessThanOrEqual(flat.x + flat.w);
      expect(label.y).toBeGreaterThanOrEqual(flat.y - 20);
      expect(label.y).toBeLessThanOrEqual(flat.y + flat.h);
    }
  });
});

describe('PNG sheets of a flat calibrated to a very large page', () => {
  it('are the paper at 150 dpi, with the garment fitted to its frame, however large its page is', async () => {
    const giant = service.get(sample.projectId);
    const out = path.join(OUTPUT, 'png');
    const result = await service.export({ projectId: sample.projectId, format: 'png', dpi: 150, out });
    const sizes = result.files.map((f) => {
      const png = decodePng(fs.readFileSync(f.path!));
      return `${png.width}x${png.height}`;
    });
    // A4 landscape (841.89 x 595.28 pt) at 150 dpi, for every sheet: the 7 m page included.
    expect(new Set(sizes)).toEqual(new Set(['1754x1240']));
    const titles = layoutTechPack(getRevision(lib.db, giant.id, result.revision).snapshot.techPack, sheetFonts()).set.sheets.map((s) => s.title);
    // The 7 m tee is drawn on its sheet as the 2 m one is on its own: the same garment fitted to
    // the same frames, so about as much ink in the front view's frame.
    const ink = (title: string) => {
      const sheet = titles.findIndex((t) => t.endsWith(title));
      expect(sheet).toBeGreaterThan(0);
      const png = decodePng(fs.readFileSync(result.files[sheet]!.path!));
      let n = 0;
      for (let y = 180; y < 1120; y++)
        for (let x = 60; x < 670; x++) {
          const k = (y * png.width + x) * 4;
          if (png.pixels[k]! + png.pixels[k + 1]! + png.pixels[k + 2]! < 600) n++;
        }
      return n;
    };
    const [tall, giantInk] = [ink('Tall'), ink('Giant')];
    expect(tall).toBeGreaterThan(3000);
    expect(Math.abs(giantInk - tall) / tall).toBeLessThan(0.1);
  });
});
