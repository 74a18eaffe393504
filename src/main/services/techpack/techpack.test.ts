import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract';
import type { PreflightReport } from '../../../shared/techpack';
import { JobQueue } from '../jobs';
import { Library } from '../library';
import { TechPackService } from './service';
import { sampleProject, techPackSources, type SampleProject } from './test-kit';

/** The sample the lead looks at: test-output/techpack/ (git-ignored). */
const OUTPUT = fileURLToPath(new URL('../../../../test-output/techpack', import.meta.url));
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

let dir: string;
let lib: Library;
let service: TechPackService;
let sample: SampleProject;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-techpack-'));
  lib = Library.open(dir);
  service = new TechPackService(lib, techPackSources(lib));
  sample = await sampleProject(lib);
  service.save(sample.projectId, sample.document);
  fs.rmSync(OUTPUT, { recursive: true, force: true });
  fs.mkdirSync(OUTPUT, { recursive: true });
});

afterAll(() => {
  lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function refusal(fn: () => Promise<unknown>): Promise<PreflightReport> {
  return fn().then(
    () => {
      throw new Error('export was not refused');
    },
    (e: unknown) => {
      expect(AppError.is(e, 'INVALID_INPUT')).toBe(true);
      return ((e as AppError).details as { preflight: PreflightReport }).preflight;
    },
  );
}

describe('tech-pack export', () => {
  it('exports a PDF whose text, BOM rows and graded POM values pdftotext can read, on pages pdftoppm renders', async () => {
    const pdfPath = path.join(OUTPUT, 'sample.pdf');
    const result = await service.export({ projectId: sample.projectId, format: 'pdf', out: pdfPath });
    expect(result.revision).toBe(1);
    expect(result.newRevision).toBe(true);
    expect(result.preflight.errors).toBe(0);

    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    fs.writeFileSync(path.join(OUTPUT, 'sample.txt'), text);
    // Chinese and English from the cover, sheet titles, BOM, colorways and notes.
    for (const s of ['Crew-neck tee', '圆领T恤', 'JX-SS27-001', '物料清单', 'Bill of Materials', '藏青', 'Ecru 米白', '纯棉汗布', '所有缝份四线包缝'])
      expect(text).toContain(s);
    // BOM rows from the swatches (fibre content, construction, weight, supplier, reference), the trim and the manual row.
    for (const s of ['95% cotton, 5% elastane', 'knit single-jersey,', 'enzyme wash', '180 g/m²', 'Suzhou Textiles Co.', 'SJ-180-IN', 'Hangzhou Rib Mill', 'RB-240', 'Neck rib 领口', 'Sewing thread', 'Epic 120', '1.15 m'])
      expect(text).toContain(s);
    // Graded POM rows: chest 52.5 at M with 4/4/5/5 cm steps; sleeve 8.25 in = 20.955 cm -> 21.0, +/- 0.375 in = 0.9525 cm.
    expect(text).toMatch(/CH\s+Chest width.*±1\.0\s+44\.5\s+48\.5\s+52\.5\s+57\.5\s+62\.5/);
    expect(text).toMatch(/SL\s+Sleeve length.*±0\.6\s+19\.1\s+20\.0\s+21\.0\s+21\.9\s+22\.9/);
    // The template's HPS-CL is 70.51 cm with a 1.5 cm grade and the default 1 cm tolerance.
    expect(text).toMatch(/HPS-CL\s+HPS to hem.*±1\.0\s+67\.5\s+69\.0\s+70\.5\s+72\.0\s+73\.5/);
    // Render settings in small print, motif source and licence, revision log.
    expect(text).toContain('seed 42');
    // The navy render names the library swatch it was made with, found by the id the render recorded.
    expect(text).toMatch(/swatch Cotton jersey\s+纯棉汗布/);
    expect(text).toContain('CC BY 2.5');
    expect(text).toContain('First issue to factory');
    // The callouts are drawn by the flat's vector SVG as real text too.
    expect(text).toContain('罗纹领');

    const fonts = execFileSync('pdffonts', [pdfPath], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoSansHans-Regular\s+CID Type 0C\s+Identity-H\s+yes\s+yes/);
    // Only the renders and the motif are bitmaps: the flats are vector paths.
    const images = execFileSync('pdfimages', ['-list', pdfPath], { encoding: 'utf8' }).trim().split('\n').slice(2);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' }))![1]);
    const pageOfFlats = 2;
    expect(images.filter((l) => Number(l.trim().split(/\s+/)[0]) === pageOfFlats)).toEqual([]);
    expect(images.length).toBeGreaterThanOrEqual(3);

    execFileSync('pdftoppm', ['-r', '60', '-png', pdfPath, path.join(OUTPUT, 'pdftoppm')]);
    const rendered = fs.readdirSync(OUTPUT).filter((f) => f.startsWith('pdftoppm'));
    expect(rendered.length).toBe(pages);
    expect(pages).toBeGreaterThanOrEqual(7);
  });

  it('writes PNG sheets from the same layout, one per PDF page, at the chosen DPI', async () => {
    const result = await service.export({ projectId: sample.projectId, format: 'png', dpi: 110, out: path.join(OUTPUT, 'png') });
    expect(result.newRevision).toBe(false);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path.join(OUTPUT, 'sample.pdf')], { encoding: 'utf8' }))![1]);
    expect(result.files.length).toBe(pages);
    const first = fs.readFileSync(result.files[0]!.path!);
    // A4 landscape at 110 dpi: 841.89 pt * 110 / 72 = 1286 px wide.
    expect(first.readUInt32BE(16)).toBe(1286);
    expect(first.readUInt32BE(20)).toBe(909);
  });

  it('is deterministic and re-exports a past revision byte for byte after a newer one exists', async () => {
    const again = path.join(dir, 'again.pdf');
    const r1 = await service.export({ projectId: sample.projectId, format: 'pdf', out: again });
    expect(r1.revision).toBe(1);
    expect(sha(again)).toBe(sha(path.join(OUTPUT, 'sample.pdf')));
    const [rev1] = service.revisions(sample.projectId);
    expect(rev1!.fileSha256).toBe(sha(again));

    const doc = service.get(sample.projectId).document;
    service.save(sample.projectId, { ...doc, cover: { ...doc.cover, status: 'production' }, revisionNote: 'Bulk approved 大货确认' });
    const r2 = await service.export({ projectId: sample.projectId, format: 'pdf', out: path.join(dir, 'rev2.pdf') });
    expect(r2.revision).toBe(2);
    expect(sha(path.join(dir, 'rev2.pdf'))).not.toBe(sha(again));
    expect(execFileSync('pdftotext', [path.join(dir, 'rev2.pdf'), '-'], { encoding: 'utf8' })).toContain('Bulk approved');

    const past = await service.exportRevision({ projectId: sample.projectId, revision: 1, format: 'pdf', out: path.join(dir, 'rev1-again.pdf') });
    expect(past.revision).toBe(1);
    expect(sha(path.join(dir, 'rev1-again.pdf'))).toBe(rev1!.fileSha256);
    expect(service.revisions(sample.projectId).map((r) => r.note)).toEqual(['First issue to factory 首次发厂', 'Bulk approved 大货确认']);
  });

  it('refuses an export with a missing POM value or overflowing text, pointing at the item, and records nothing', async () => {
    const before = service.revisions(sample.projectId).length;
    const doc = service.get(sample.projectId).document;
    service.save(sample.projectId, {
      ...doc,
      cover: { ...doc.cover, name: '超长款式名称 A very long style name that cannot possibly fit on a single line of the cover sheet of any tech pack' },
      pom: { ...doc.pom, rows: [...doc.pom.rows, { id: 'pom-hem', code: 'HEM', description: 'Hem width', value: null, unit: null, tolerance: null }] },
      colorways: [...doc.colorways, { id: 'cw-new', name: 'Sage', code: 'C03', colours: [], renderIds: [] }],
    });
    const report = await refusal(() => service.export({ projectId: sample.projectId, format: 'pdf', out: path.join(dir, 'refused.pdf') }));
    const found = report.issues.map((i) => `${i.severity} ${i.code} ${i.target.section}#${i.target.itemId}`);
    expect(found).toContain('error POM_VALUE_MISSING pom#pom-hem');
    expect(found).toContain('error POM_UNIT_MISSING pom#pom-hem');
    expect(found).toContain('error TEXT_OVERFLOW cover#name');
    expect(found).toContain('warning COLORWAY_WITHOUT_RENDER colorways#cw-new');
    expect(fs.existsSync(path.join(dir, 'refused.pdf'))).toBe(false);
    expect(service.revisions(sample.projectId).length).toBe(before);
    service.save(sample.projectId, doc);
  });

  it('refuses an export to a place that cannot be written before recording a revision', async () => {
    const before = service.revisions(sample.projectId);
    const doc = service.get(sample.projectId).document;
    service.save(sample.projectId, { ...doc, revisionNote: 'Sleeve length corrected 袖长修正' });
    await expect(service.export({ projectId: sample.projectId, format: 'pdf', out: '/dev/null/tp.pdf' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'Cannot write /dev/null/tp.pdf: /dev/null is a file, not a folder.',
    });
    await expect(service.export({ projectId: sample.projectId, format: 'png', out: '/dev/null/sheets' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'Cannot write to /dev/null/sheets: /dev/null is not a folder.',
    });
    expect(service.revisions(sample.projectId)).toEqual(before);
    expect(service.get(sample.projectId).document.revisionNote).toBe('Sleeve length corrected 袖长修正');
    service.save(sample.projectId, doc);
  });

  it('warns about a BOM colour that no colorway uses, and exports anyway', async () => {
    const doc = service.get(sample.projectId).document;
    service.save(sample.projectId, { ...doc, colorways: doc.colorways.filter((c) => c.id !== 'cw-ecru') });
    const result = await service.export({ projectId: sample.projectId, format: 'pdf' });
    expect(result.preflight.issues.filter((i) => i.code === 'BOM_COLOUR_UNUSED').map((i) => i.target.itemId)).toEqual([`fabric:${sample.swatchIds[1]}`]);
    expect(result.files[0]!.path).toBeNull();
  });

  it('refuses a document that does not match the schema and keeps the saved one', () => {
    const before = service.get(sample.projectId).document;
    expect(() => service.save(sample.projectId, { ...before, pom: { ...before.pom, rows: [{ id: 'x', code: 'X', description: '', value: '1,5', unit: 'cm' }] } })).toThrow(/decimal number/);
    expect(service.get(sample.projectId).document).toEqual(before);
  });

  it('runs an export as a job with the same result, and refuses a job for an unknown project', async () => {
    const jobs = new JobQueue(lib.db);
    const queued = new TechPackService(lib, techPackSources(lib), jobs);
    expect(() => queued.startExport({ projectId: '00000000-0000-4000-8000-000000000000', format: 'pdf' })).toThrow(/No project/);
    const job = queued.startExport({ projectId: sample.projectId, format: 'png', dpi: 40, out: path.join(dir, 'job') });
    jobs.start();
    const done = await jobs.waitFor(job.id);
    await jobs.stop();
    expect(done.state).toBe('succeeded');
    const result = done.result as { revision: number; files: { path: string }[] };
    expect(result.revision).toBe(service.revisions(sample.projectId).at(-1)!.revision);
    expect(result.files.length).toBeGreaterThan(5);
    expect(fs.existsSync(result.files[0]!.path)).toBe(true);
  });

  it('previews one sheet of the next revision as PNG, and names the sheet count for a sheet that does not exist', async () => {
    const preview = await service.previewSheet(sample.projectId, 1, 40);
    expect(preview.png!.subarray(1, 4).toString()).toBe('PNG');
    expect(preview.png!.readUInt32BE(16)).toBe(468);
    expect(preview.sheets).toBeGreaterThanOrEqual(7);
    await expect(service.previewSheet(sample.projectId, 99, 40)).rejects.toThrow(`has ${preview.sheets} sheets; there is no sheet 100`);
  });
});
