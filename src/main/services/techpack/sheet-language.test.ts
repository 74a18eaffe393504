import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../library';
import { TechPackService } from './service';
import { sampleProject, techPackSources, type SampleProject } from './test-kit';

/**
 * The sheets' own labels follow the export's language: Chinese first for a Chinese studio, or one
 * language alone. Read back from the written PDF with pdftotext, as the factory's copy would be.
 */

let dir: string;
let lib: Library;
let service: TechPackService;
let sample: SampleProject;

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-sheet-language-'));
  lib = Library.open(dir);
  service = new TechPackService(lib, techPackSources(lib));
  sample = await sampleProject(lib);
  service.save(sample.projectId, sample.document);
});

afterAll(() => {
  lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the tech-pack sheet language', () => {
  it('prints English first by default and Chinese first when asked, one revision for both', async () => {
    const en = await service.export({ projectId: sample.projectId, format: 'pdf', out: path.join(dir, 'en-zh.pdf') });
    const zh = await service.export({ projectId: sample.projectId, format: 'pdf', out: path.join(dir, 'zh-en.pdf'), language: 'zh+en' });
    // The document is the same: one revision, and its stored PDF is the default's.
    expect(zh.revision).toBe(en.revision);
    expect(zh.newRevision).toBe(false);
    const stored = service.revisions(sample.projectId).find((r) => r.revision === en.revision)!;
    expect(sha(path.join(dir, 'en-zh.pdf'))).toBe(stored.fileSha256);

    const first = pdfText(path.join(dir, 'en-zh.pdf'));
    for (const s of ['Cover 封面', 'TECH PACK 工艺单', 'Bill of Materials 物料清单', 'Points of Measure 尺寸表', 'Style number 款号']) expect(first).toContain(s);

    const chinese = pdfText(path.join(dir, 'zh-en.pdf'));
    for (const s of ['封面 Cover', '工艺单 TECH PACK', '物料清单 Bill of Materials', '尺寸表 Points of Measure', '款号 Style number', '修改记录 Revision Log'])
      expect(chinese).toContain(s);
    for (const s of ['Cover 封面', 'TECH PACK 工艺单', 'Bill of Materials 物料清单']) expect(chinese).not.toContain(s);
    // What the technician typed prints as typed in either order.
    for (const s of ['Crew-neck tee', '圆领T恤', 'Sewing thread']) expect(chinese).toContain(s);
  });

  it('prints only Chinese labels in Chinese alone, and only English ones in English alone', async () => {
    await service.export({ projectId: sample.projectId, format: 'pdf', out: path.join(dir, 'zh.pdf'), language: 'zh' });
    await service.export({ projectId: sample.projectId, format: 'pdf', out: path.join(dir, 'en.pdf'), language: 'en' });
    const zh = pdfText(path.join(dir, 'zh.pdf'));
    for (const s of ['封面', '工艺单', '物料清单', '尺寸表', '款式图 1 张']) expect(zh).toContain(s);
    for (const s of ['Cover', 'TECH PACK', 'Bill of Materials', 'Points of Measure', 'Style number', 'point(s) of measure']) expect(zh).not.toContain(s);
    const en = pdfText(path.join(dir, 'en.pdf'));
    for (const s of ['Cover', 'TECH PACK', 'Bill of Materials', 'Points of Measure']) expect(en).toContain(s);
    for (const s of ['封面', '物料清单', '尺寸表', '款号']) expect(en).not.toContain(s);
  });

  it('draws the live preview in the asked language and refuses an unknown one at the contract', async () => {
    const zh = await service.previewSheet(sample.projectId, 0, 36, undefined, 'zh');
    const en = await service.previewSheet(sample.projectId, 0, 36, undefined, 'en');
    expect(zh.png).not.toBeNull();
    expect(sha256(zh.png!)).not.toBe(sha256(en.png!));
    const { TechPackExportRequestSchema } = await import('../../../shared/contract');
    expect(TechPackExportRequestSchema.safeParse({ projectId: sample.projectId, format: 'pdf', language: 'fr' }).success).toBe(false);
  });
});

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
