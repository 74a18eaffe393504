import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Shape } from '../../../shared/flat';
import { Library } from '../library';
import { drawFlatView, embedMotifArt, motifArtRefs } from './flat-svg';
import { TechPackService } from './service';
import { insertFlat, sampleProject, techPackSources, template, type SampleProject } from './test-kit';

let dir: string;
let lib: Library;
let sample: SampleProject;
let motifId: string;

/** The sample tee again, with the sample's motif as a chest print on the front and an all-over repeat on the back body. */
function printedTee() {
  const flat = template('t-shirt');
  flat.name = 'Printed tee';
  const front = flat.views.find((v) => v.id === 'front')!;
  const back = flat.views.find((v) => v.id === 'back')!;
  front.items.push({ id: 'chest', layerId: front.layers[0]!.id, name: 'Chest print', type: 'print', motifId, at: { x: 400, y: 300 }, width: 120, height: 120, rotation: 0, opacity: 1 });
  const body = back.items.find((i): i is Shape => i.type === 'shape' && i.role === 'panel')!;
  body.motifFill = { motifId, repeatCm: 8, angle: 0 };
  return flat;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-techpack-prints-'));
  lib = Library.open(dir);
  sample = await sampleProject(lib);
  motifId = sample.document.motifs![0]!.motifId;
  insertFlat(lib, sample.projectId, printedTee());
});

afterAll(() => {
  lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('prints and motif fills in the tech pack', () => {
  it('draws the artwork into the flat: placeholders in the layout, the image bytes when drawn', () => {
    const refs = motifArtRefs([{ id: motifId, imageSha256: 'a'.repeat(64) }]);
    const front = drawFlatView(printedTee(), 'front', refs)!;
    const back = drawFlatView(printedTee(), 'back', refs)!;
    expect(front.svg).toContain(`href="jinxiu-motif:${'a'.repeat(64)}"`);
    expect(back.svg).toMatch(/<pattern id="motif-fill-0"[^>]*width="80"/);
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
    const drawn = embedMotifArt(front.svg, (sha) => {
      expect(sha).toBe('a'.repeat(64));
      return bytes;
    });
    expect(drawn).toContain(`href="data:image/jpeg;base64,${bytes.toString('base64')}"`);
    expect(drawn).not.toContain('jinxiu-motif:');
  });

  it('credits a motif printed on a flat with its source and licence, even when nobody added it to the references', async () => {
    const service = new TechPackService(lib, techPackSources(lib));
    service.save(sample.projectId, { ...sample.document, motifs: [] });
    const out = path.join(dir, 'printed.pdf');
    const result = await service.export({ projectId: sample.projectId, format: 'pdf', out });
    expect(result.preflight.errors).toBe(0);
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    expect(text).toContain('Alex Amies');
    expect(text).toContain('CC BY 2.5');
    expect(text).toMatch(/Placed print 定位印花 \(Chest print\), Printed tee front/);
    expect(text).toMatch(/All-over repeat 满版印花 8 cm: [^,]+, Printed tee back/);
    // The printed tee's flats sheet carries the artwork as images; the plain tee's flats stay pure vector.
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [out], { encoding: 'utf8' }))![1]);
    const pageText = (p: number) => execFileSync('pdftotext', ['-f', String(p), '-l', String(p), out, '-'], { encoding: 'utf8' });
    const printedPage = Array.from({ length: pages }, (_, k) => k + 1).find((p) => pageText(p).includes('Printed tee') && pageText(p).includes('FRONT'))!;
    expect(printedPage).toBeGreaterThan(0);
    const images = execFileSync('pdfimages', ['-list', out], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(images.filter((l) => Number(l.trim().split(/\s+/)[0]) === printedPage).length).toBeGreaterThan(0);
  });
});
