import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../library';
import { TechPackService } from './service';
import { sampleProject, techPackSources, type SampleProject } from './test-kit';

/**
 * A revision is a state of the tech-pack document; each export is a file (or a folder of sheets) a
 * technician sends out. Two exports of an unchanged document print the same revision, and its
 * history lists both, on a real library file.
 */

let dir: string;
let lib: Library;
let service: TechPackService;
let sample: SampleProject;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-techpack-exports-'));
  lib = Library.open(dir);
  service = new TechPackService(lib, techPackSources(lib));
  sample = await sampleProject(lib);
  service.save(sample.projectId, sample.document);
});

afterAll(() => {
  lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('tech-pack export history', () => {
  it('lists the PDF and the PNG sheets of an unchanged document under its one revision, and a changed one under the next', async () => {
    const pdf = path.join(dir, 'out', 'techpack.pdf');
    const sheets = path.join(dir, 'out', 'sheets');
    const first = await service.export({ projectId: sample.projectId, format: 'pdf', out: pdf });
    expect(first).toMatchObject({ revision: 1, newRevision: true });
    const png = await service.export({ projectId: sample.projectId, format: 'png', dpi: 40, out: sheets });
    expect(png).toMatchObject({ revision: 1, newRevision: false });
    expect(png.files.length).toBeGreaterThan(1);

    const [rev1, ...more] = service.revisions(sample.projectId);
    expect(more).toEqual([]);
    expect(rev1!.exports.map(({ format, path: where, files }) => ({ format, where, files }))).toEqual([
      { format: 'pdf', where: pdf, files: 1 },
      { format: 'png', where: sheets, files: png.files.length },
    ]);
    for (const e of rev1!.exports) expect(Date.parse(e.exportedAt)).not.toBeNaN();

    // An export with nowhere to write records the revision but lists no file.
    await service.export({ projectId: sample.projectId, format: 'pdf' });
    expect(service.revisions(sample.projectId)[0]!.exports).toHaveLength(2);

    // A change makes revision 2, whose export is its own; re-exporting revision 1 lists under 1.
    const doc = service.get(sample.projectId).document;
    service.save(sample.projectId, { ...doc, cover: { ...doc.cover, status: 'production' } });
    const rev2pdf = path.join(dir, 'out', 'rev2.pdf');
    expect(await service.export({ projectId: sample.projectId, format: 'pdf', out: rev2pdf })).toMatchObject({ revision: 2, newRevision: true });
    const again = path.join(dir, 'out', 'rev1-again.pdf');
    await service.exportRevision({ projectId: sample.projectId, revision: 1, format: 'pdf', out: again });
    const history = service.revisions(sample.projectId);
    expect(history.map((r) => r.exports.map((e) => e.path))).toEqual([[pdf, sheets, again], [rev2pdf]]);
  });

  it('checks an unchanged document as the revision an export would print again, not a new one', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-techpack-preview-'));
    const lib2 = Library.open(other);
    try {
      const service2 = new TechPackService(lib2, techPackSources(lib2));
      const { projectId, document } = await sampleProject(lib2);
      service2.save(projectId, document);
      await service2.export({ projectId, format: 'pdf', out: path.join(other, 'unchanged.pdf') });
      // Later (the date would differ), the preview of the unchanged document is the recorded
      // revision's own first sheet, byte for byte: its number and date, not revision 2's.
      await new Promise((r) => setTimeout(r, 1100));
      const recorded = await service2.exportRevision({ projectId, revision: 1, format: 'png', dpi: 40 });
      const preview = await service2.previewSheet(projectId, 0, 40);
      expect(createHash('sha256').update(preview.png!).digest('hex')).toBe(recorded.files[0]!.sha256);
    } finally {
      lib2.close();
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
