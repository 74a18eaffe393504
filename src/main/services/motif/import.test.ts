import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, type Job } from '../../../shared/contract';
import { JobQueue } from '../jobs';
import { Library } from '../library';
import { importMotifs, type ImportReport } from './import';
import { MotifService } from './service';
import { HERITAGE_DIR, heritageSlice, makeImage, tempDir } from './test-kit';

const dirs: string[] = [];
const libraries: Library[] = [];
afterEach(() => {
  for (const l of libraries.splice(0)) l.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function openLibrary(): Library {
  const lib = Library.open(tempDir('jinxiu-motif-lib-', dirs));
  libraries.push(lib);
  return lib;
}
const count = (lib: Library, sql: string) => (lib.db.prepare(sql).pluck().get() as number) ?? 0;

describe('importMotifs: the heritage_motifs layout', () => {
  it('imports a slice of the real sample with thumbnails, credit and licence, and reports what it could not read', async () => {
    const lib = openLibrary();
    const work = tempDir('jinxiu-motif-src-', dirs);
    const captions = heritageSlice(work, 8, [
      '{"id": "ghost", "image": "images/no_such_image.jpg", "caption_zh": "不存在", "license": "CC BY 2.5"}',
      '{"id": "escape", "image": "../../etc/passwd"}',
      'this is not json',
    ]);
    const first = JSON.parse(fs.readFileSync(captions, 'utf8').split('\n')[0]!) as Record<string, string>;

    const report = await importMotifs(lib, { folder: HERITAGE_DIR, captions });

    expect(report).toMatchObject({ layout: 'heritage', total: 9, imported: 8, alreadyIn: 0, duplicates: 0, failed: 3 });
    expect(report.problems.map((p) => p.at)).toEqual(['slice.jsonl:11', 'slice.jsonl:10', 'images/no_such_image.jpg']);
    expect(report.problems[1]!.message).toMatch(/outside/);
    expect(count(lib, 'SELECT count(*) FROM motifs')).toBe(8);
    expect(count(lib, 'SELECT count(*) FROM motif_text')).toBe(8);

    const row = lib.db.prepare("SELECT * FROM motifs WHERE json_extract(attributes, '$.sourceKey') = ?").get(first.id) as Record<string, string>;
    expect(row.caption_zh).toBe(first.caption_zh);
    expect(row.caption_en).toBe(first.caption_en);
    expect(row.licence).toBe(first.license);
    expect(row.source).toBe(`Photo by ${first.author}`);
    // The original is stored byte for byte; the thumbnail is a real WebP no larger than 320 px.
    const original = fs.readFileSync(path.join(HERITAGE_DIR, first.image!));
    expect((await lib.files.read(row.file_sha256!)).equals(original)).toBe(true);
    expect(lib.files.get(row.file_sha256!).mime).toBe('image/jpeg');
    const thumb = await sharp(await lib.files.read(row.thumb_sha256!)).metadata();
    expect(thumb.format).toBe('webp');
    expect(Math.max(thumb.width!, thumb.height!)).toBeLessThanOrEqual(320);
  });

  it('resumes after a cancel: a second run imports the rest and skips what is in', async () => {
    const lib = openLibrary();
    const captions = heritageSlice(tempDir('jinxiu-motif-src-', dirs), 6);
    let calls = 0;
    const stopAfterThree = () => {
      if (++calls > 3) throw new AppError('JOB_CANCELLED', 'The job was cancelled.');
    };
    await expect(importMotifs(lib, { folder: HERITAGE_DIR, captions }, { throwIfCancelled: stopAfterThree })).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
    expect(count(lib, 'SELECT count(*) FROM motifs')).toBe(3);

    const again = await importMotifs(lib, { folder: HERITAGE_DIR, captions });
    expect(again).toMatchObject({ imported: 3, alreadyIn: 3, failed: 0 });
    const third = await importMotifs(lib, { folder: HERITAGE_DIR, captions });
    expect(third).toMatchObject({ imported: 0, alreadyIn: 6 });
    expect(count(lib, 'SELECT count(*) FROM motifs')).toBe(6);
    expect(count(lib, 'SELECT count(*) FROM motif_text')).toBe(6);
  });

  it('runs as a job with progress, and resumeImport queues an interrupted one again', async () => {
    const lib = openLibrary();
    const progress: number[] = [];
    const jobs = new JobQueue(lib.db, { onProgress: (_j, p) => progress.push(p.step ?? -1) });
    const motifs = new MotifService(lib, jobs);
    jobs.start();
    const captions = heritageSlice(tempDir('jinxiu-motif-src-', dirs), 4);
    const job = motifs.startImport({ folder: HERITAGE_DIR, captions });
    const done: Job = await jobs.waitFor(job.id);
    expect(done.state).toBe('succeeded');
    expect((done.result as ImportReport).imported).toBe(4);
    expect(progress.at(-1)).toBe(4);

    const again = await jobs.waitFor(motifs.resumeImport(job.id).id);
    expect((again.result as ImportReport).alreadyIn).toBe(4);
    await jobs.stop();
  });

  it('refuses a folder that is not there, and a caption file in no known layout, changing nothing', async () => {
    const lib = openLibrary();
    const work = tempDir('jinxiu-motif-src-', dirs);
    await expect(importMotifs(lib, { folder: path.join(work, 'missing') })).rejects.toThrow(/is not a folder/);
    fs.writeFileSync(path.join(work, 'captions.jsonl'), '{"name": "x"}\n');
    await expect(importMotifs(lib, { folder: work })).rejects.toThrow(/no layout the studio knows/);
    expect(count(lib, 'SELECT count(*) FROM motifs')).toBe(0);
    expect(count(lib, 'SELECT count(*) FROM files')).toBe(0);
  });
});

describe('importMotifs: the Chinese-CLIP / CulTi layout', () => {
  const texts = [
    { text_id: 1, text: '敦煌壁画中的莲花藻井', image_ids: [101] },
    { text_id: 2, text: '唐代联珠对鸟纹锦', image_ids: [102] },
    { text_id: 3, text: '藻井中心的莲花纹样', image_ids: [101] },
    { text_id: 4, text: '损坏的图片', image_ids: [103] },
    { text_id: 5, text: '缺少的图片', image_ids: [104] },
    { text_id: 6, text: '与101相同的图片', image_ids: [105] },
  ];
  const writeTexts = (dir: string) => fs.writeFileSync(path.join(dir, 'test_texts.jsonl'), texts.map((t) => JSON.stringify(t)).join('\n') + '\n');

  it('reads an image folder: several texts per image become one motif, a corrupt image is reported', async () => {
    const lib = openLibrary();
    const dir = tempDir('jinxiu-culti-', dirs);
    writeTexts(dir);
    fs.mkdirSync(path.join(dir, 'images'));
    fs.writeFileSync(path.join(dir, 'images', '101.png'), await makeImage(1));
    fs.writeFileSync(path.join(dir, 'images', '102.jpg'), await makeImage(2, 'jpeg'));
    fs.writeFileSync(path.join(dir, 'images', '103.jpg'), (await makeImage(3, 'jpeg')).subarray(0, 300));
    fs.writeFileSync(path.join(dir, 'images', '105.png'), await makeImage(1));

    const report = await importMotifs(lib, { folder: dir, licence: 'CC BY-NC 4.0', source: 'CulTi test split' });

    expect(report).toMatchObject({ layout: 'culti', total: 5, imported: 2, duplicates: 1, failed: 2 });
    expect(report.problems.map((p) => p.at).sort()).toEqual(['image 104', 'images/103.jpg']);
    const row = lib.db.prepare("SELECT * FROM motifs WHERE json_extract(attributes, '$.sourceKey') = '101'").get() as Record<string, string>;
    expect(row.caption_zh).toBe('敦煌壁画中的莲花藻井；藻井中心的莲花纹样');
    expect(row).toMatchObject({ licence: 'CC BY-NC 4.0', source: 'CulTi test split' });
    expect(JSON.parse(row.attributes!).texts).toEqual([
      { textId: '1', text: '敦煌壁画中的莲花藻井' },
      { textId: '3', text: '藻井中心的莲花纹样' },
    ]);
  });

  it('reads a base64 TSV, reports a corrupt line and an image missing from the TSV, and resumes idempotently', async () => {
    const lib = openLibrary();
    const dir = tempDir('jinxiu-culti-', dirs);
    writeTexts(dir);
    const b64 = async (seed: number) => (await makeImage(seed, 'jpeg')).toString('base64');
    const truncated = (await makeImage(3, 'jpeg')).subarray(0, 400).toString('base64');
    fs.writeFileSync(
      path.join(dir, 'test_imgs.tsv'),
      [`101\t${await b64(1)}`, `102\t${await b64(2)}`, `103\t${truncated}`, `105\t${await b64(1)}`, `999\t${await b64(9)}`].join('\n') + '\n',
    );
    const report = await importMotifs(lib, { folder: dir });
    expect(report).toMatchObject({ layout: 'culti', imported: 2, duplicates: 1, failed: 2 });
    expect(report.problems.map((p) => p.at).sort()).toEqual(['image 104', 'test_imgs.tsv:3']);
    expect(report.problems.find((p) => p.at === 'test_imgs.tsv:3')!.message).toMatch(/cannot be decoded|not a readable image/);

    const again = await importMotifs(lib, { folder: dir });
    expect(again).toMatchObject({ imported: 0, alreadyIn: 2, duplicates: 1 });
    expect(count(lib, 'SELECT count(*) FROM motifs')).toBe(2);
  });
});
