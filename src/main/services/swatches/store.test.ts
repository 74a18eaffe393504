import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract';
import { Library } from '../library';
import { MAX_SWATCH_FILE_BASE64 } from '../../../shared/contract/swatches';
import { SwatchLibrary } from './store';
import { testFixture } from '../../test-fixtures';

const TILES = testFixture('textile_tiles', 'images');

let dir: string;
let work: string;
let lib: Library;
let swatches: SwatchLibrary;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-swatches-'));
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-swatch-photos-'));
  lib = Library.open(dir);
  swatches = new SwatchLibrary(lib);
});
afterEach(() => {
  lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

const count = (table: string) => (lib.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const storedFiles = () => fs.readdirSync(path.join(dir, 'files'), { recursive: true }).filter((f) => /^[0-9a-f]{64}$/.test(path.basename(String(f))));

async function expectRefused(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('INVALID_INPUT');
  expect((err as AppError).message).toMatch(message);
  // Nothing saved: no row, no file record, no bytes.
  expect(count('swatches')).toBe(0);
  expect(count('files')).toBe(0);
  expect(storedFiles()).toEqual([]);
}

/** A real tile re-encoded in another format, as a technician's camera or scanner would hand it over. */
async function asFormat(name: string, format: 'jpeg' | 'webp' | 'tiff' | 'gif'): Promise<string> {
  const out = path.join(work, `${name}.${format}`);
  await sharp(path.join(TILES, `${name}.png`)).toFormat(format).toFile(out);
  return out;
}

/** A PNG whose header claims width x height, with the pixel data of its first row only. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(1 + width * 3))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('importing swatch photos', () => {
  it('imports a real tile as a swatch with a tile, a 3x3 preview, colours and a category from its name', async () => {
    const s = await swatches.import({ path: path.join(TILES, 'black_denim.png'), geometry: { widthCm: 5, heightCm: 5 } });
    expect(s).toMatchObject({ name: 'black_denim', category: 'denim', image: { width: 145, height: 145, format: 'png' } });
    expect(s.geometry).toMatchObject({ rotateDeg: 0, widthCm: 5, heightCm: 5, crop: { left: 0, top: 0, width: 145, height: 145 } });
    expect(s.tile).toEqual({ width: 145, height: 145 });
    const preview = await sharp(lib.files.path(s.previewSha256)).metadata();
    expect([preview.width, preview.height]).toEqual([435, 435]);
    expect(lib.files.get(s.imageSha256).mime).toBe('image/png');
    expect(lib.files.get(s.tileSha256).mime).toBe('image/png');
    expect(s.dominantColours[0]!.colour).toBe('black');
    // Until the technician names it, the BOM colour is the main dominant colour, with its Lab.
    expect(s.bom.colour).toMatchObject({ name: 'Black', hex: s.dominantColours[0]!.hex });
    expect(s.bom.colour!.lab!.L).toBeLessThan(20);
  });

  it.each(['jpeg', 'webp', 'tiff'] as const)('takes %s photos', async (format) => {
    const file = await asFormat('linen', format);
    const s = await swatches.import({ path: file, name: 'Washed linen' });
    expect(s.image.format).toBe(format);
    expect(s.category).toBe('linen');
    expect(lib.files.get(s.imageSha256).mime).toBe(`image/${format}`);
  });

  it('straightens, crops and records the BOM attributes', async () => {
    const s = await swatches.import({
      path: path.join(TILES, 'tweed.png'),
      name: 'Harris tweed 12',
      category: 'tweed',
      geometry: { rotateDeg: 4.5, crop: { left: 20, top: 20, width: 120, height: 100 }, widthCm: 6, heightCm: 5 },
      bom: {
        fibreContent: [
          { fibre: 'wool', percent: 85 },
          { fibre: 'nylon', percent: 15 },
        ],
        construction: { kind: 'woven', weave: 'twill' },
        weightGsm: 340,
        finish: 'milled',
        colour: { name: 'Heather grey', hex: '#505050' },
        supplier: 'Lewis Mills',
        reference: 'HT-12',
      },
    });
    expect(s.tile).toEqual({ width: 120, height: 100 });
    expect(s.geometry).toMatchObject({ rotateDeg: 4.5, crop: { left: 20, top: 20, width: 120, height: 100 }, tileMethod: 'offset-blend' });
    expect(s.bom).toMatchObject({ weightGsm: 340, supplier: 'Lewis Mills', reference: 'HT-12', construction: { kind: 'woven', weave: 'twill' } });
    expect(s.bom.colour!.lab!.L).toBeCloseTo(33.9, 0);
  });

  it('refuses fibre contents that do not add up to 100 and saves nothing', async () => {
    await expectRefused(
      swatches.import({ path: path.join(TILES, 'linen.png'), bom: { fibreContent: [{ fibre: 'linen', percent: 55 }, { fibre: 'cotton', percent: 40 }] } }),
      /add up to 100/,
    );
  });

  it('refuses a corrupt file and a truncated photo and saves nothing', async () => {
    const garbage = path.join(work, 'swatch.jpg');
    fs.writeFileSync(garbage, 'this is a text file, not a photo of a swatch\n'.repeat(20));
    await expectRefused(swatches.import({ path: garbage }), /swatch\.jpg is not a readable image/);

    const whole = fs.readFileSync(await asFormat('dark_leather', 'jpeg'));
    const truncated = path.join(work, 'truncated.jpg');
    fs.writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    await expectRefused(swatches.import({ path: truncated }), /truncated\.jpg could not be decoded/);
  });

  it('refuses a photo with too many pixels from its header alone, and saves nothing', async () => {
    const huge = path.join(work, 'huge.png');
    fs.writeFileSync(huge, pngHeaderOnly(30000, 30000));
    await expectRefused(swatches.import({ path: huge }), /huge\.png is 30000×30000 px \(900 MP\).*up to 70 MP/);
  });

  it('refuses a file larger than the limit, and saves nothing', async () => {
    const small = new SwatchLibrary(lib, { maxBytes: 10_000, maxPixels: 70_000_000 });
    const big = path.join(TILES, 'black_linen_v2.png');
    expect(fs.statSync(big).size).toBeGreaterThan(10_000);
    await expectRefused(small.import({ path: big }), /black_linen_v2\.png is .* MB; the swatch library takes photos up to/);
  });

  it('imports a photo sent as its bytes, as a dropped or picked file is', async () => {
    const denim = testFixture('textile_tiles', 'images', 'denim.png');
    const bytes = fs.readFileSync(denim);
    const s = await swatches.import({
      file: { name: 'denim.png', bytesBase64: bytes.toString('base64') },
      geometry: { crop: { left: 10, top: 20, width: 60, height: 50 } },
    });
    expect(s).toMatchObject({ name: 'denim', category: 'denim', image: { format: 'png' } });
    expect(s.geometry.crop).toEqual({ left: 10, top: 20, width: 60, height: 50 });
    // The same bytes from the path give the same stored photo.
    const fromPath = await swatches.import({ path: denim, name: 'denim again' });
    expect(fromPath.imageSha256).toBe(s.imageSha256);
    expect(count('swatches')).toBe(2);
  });

  it('refuses bytes larger than the limit by their decoded length, and saves nothing', async () => {
    const small = new SwatchLibrary(lib, { maxBytes: 10_000, maxPixels: 70_000_000 });
    const bytes = fs.readFileSync(path.join(TILES, 'black_linen_v2.png'));
    expect(bytes.byteLength).toBeGreaterThan(10_000);
    await expectRefused(
      small.import({ file: { name: 'black_linen_v2.png', bytesBase64: bytes.toString('base64') } }),
      /black_linen_v2\.png is .* MB; the swatch library takes photos up to/,
    );
  });

  it('refuses a base64 frame beyond the schema cap before decoding it, and saves nothing', async () => {
    const huge = 'A'.repeat(MAX_SWATCH_FILE_BASE64 + 4);
    await expectRefused(swatches.import({ file: { name: 'huge.png', bytesBase64: huge } }), /larger than the swatch library takes/);
  });

  it('refuses both a path and a file, or neither, and saves nothing', async () => {
    const denim = path.join(TILES, 'denim.png');
    const file = { name: 'denim.png', bytesBase64: fs.readFileSync(denim).toString('base64') };
    await expectRefused(swatches.import({ path: denim, file }), /either as a path or as a file/);
    // @ts-expect-error -- the type already forbids a request without a photo; main must refuse it too.
    await expectRefused(swatches.import({ name: 'nothing' }), /either as a path or as a file/);
    await expectRefused(swatches.import({ file: { name: 'x.png', bytesBase64: 'not base64!' } }), /must be base64/);
  });

  it('refuses formats other than JPEG, PNG, WebP and TIFF, missing files and folders', async () => {
    await expectRefused(swatches.import({ path: await asFormat('argyle', 'gif') }), /is GIF; swatch photos must be JPEG, PNG, WebP or TIFF/);
    await expectRefused(swatches.import({ path: path.join(work, 'nope.png') }), /no such file/);
    await expectRefused(swatches.import({ path: work }), /is not a file/);
  });

  it('refuses a crop outside the photo, and saves nothing', async () => {
    await expectRefused(
      swatches.import({ path: path.join(TILES, 'denim.png'), geometry: { crop: { left: 100, top: 0, width: 100, height: 100 } } }),
      /reaches outside the straightened photo \(135×135 px\)/,
    );
  });
});

describe('the swatch library', () => {
  async function stock() {
    const denim = await swatches.import({ path: path.join(TILES, 'darkdenim3.png'), name: 'Raw selvedge', category: 'denim', bom: { supplier: 'Kaihara' } });
    const jean = await swatches.import({ path: path.join(TILES, 'gray_jean.png'), category: 'denim', bom: { supplier: 'Candiani' } });
    const linen = await swatches.import({ path: path.join(TILES, 'linen.png'), name: 'Belgian linen', bom: { supplier: 'Libeco', colour: { name: 'Natural', hex: '#D9C8A9' } } });
    const leather = await swatches.import({ path: path.join(TILES, 'white_leather.png') });
    return { denim, jean, linen, leather };
  }

  it('searches by name, category, supplier, colour and free text in either language', async () => {
    const { denim, jean, linen, leather } = await stock();
    expect(leather.category).toBe('leather');
    const ids = (list: { id: string }[]) => list.map((s) => s.id).sort();
    expect(ids(swatches.list({ category: 'denim' }))).toEqual(ids([denim, jean]));
    expect(swatches.list({ query: 'selvedge' }).map((s) => s.id)).toEqual([denim.id]);
    expect(swatches.list({ query: '牛仔' }).map((s) => s.id).sort()).toEqual(ids([denim, jean]));
    expect(swatches.list({ supplier: 'libeco' }).map((s) => s.id)).toEqual([linen.id]);
    expect(swatches.list({ query: 'Candiani' }).map((s) => s.id)).toEqual([jean.id]);
    expect(swatches.list({ colour: 'beige' })[0]!.id).toBe(linen.id);
    expect(swatches.list({ colour: '#D9C8A9' })[0]!.id).toBe(linen.id);
    expect(swatches.list({ query: '米色' })[0]!.id).toBe(linen.id);
    expect(swatches.list({ query: 'no such swatch' })).toEqual([]);
    expect(() => swatches.list({ colour: 'sparkly' })).toThrow(/not a colour the library knows/);
  });

  it('reuses one swatch across projects and links the prompt fabric to it', async () => {
    const { denim, linen } = await stock();
    const spring = lib.projects.create('Spring shirts');
    const workwear = lib.projects.create('Workwear');
    swatches.addToProject(denim.id, spring.id);
    swatches.addToProject(denim.id, workwear.id);
    swatches.addToProject(linen.id, spring.id);
    expect(swatches.get(denim.id).projectIds.sort()).toEqual([spring.id, workwear.id].sort());
    expect(swatches.list({ projectId: workwear.id }).map((s) => s.id)).toEqual([denim.id]);
    expect(swatches.candidatesFor(spring.id).map((c) => c.category).sort()).toEqual(['denim', 'linen']);

    lib.projects.delete(workwear.id);
    expect(swatches.get(denim.id).projectIds).toEqual([spring.id]);
    swatches.removeFromProject(denim.id, spring.id);
    expect(swatches.get(denim.id).projectIds).toEqual([]);
    expect(() => swatches.addToProject(denim.id, workwear.id)).toThrow(AppError);
  });

  it('edits attributes, reprocesses the stored photo and deletes', async () => {
    const { linen } = await stock();
    const edited = swatches.update({ id: linen.id, name: 'Belgian linen 2', bom: { weightGsm: 180, fibreContent: [{ fibre: 'linen', percent: 100 }] } });
    expect(edited).toMatchObject({ name: 'Belgian linen 2', bom: { weightGsm: 180 } });
    expect(() => swatches.update({ id: linen.id, bom: { weightGsm: -3 } })).toThrow(/positive number of g\/m²/);
    expect(swatches.get(linen.id).bom.weightGsm).toBe(180);

    const again = await swatches.reprocess(linen.id, { rotateDeg: -3, widthCm: 10, heightCm: 7.5, tileMethod: 'mirror' });
    expect(again.tile.width).toBeGreaterThan(again.geometry.crop!.width);
    expect(again.geometry).toMatchObject({ rotateDeg: -3, widthCm: 10, heightCm: 7.5, tileMethod: 'mirror' });
    expect(again.imageSha256).toBe(linen.imageSha256);
    expect(again.tileSha256).not.toBe(linen.tileSha256);

    swatches.delete(linen.id);
    expect(() => swatches.get(linen.id)).toThrow(/no swatch/);
    expect(() => swatches.delete(linen.id)).toThrow(/no swatch/);
  });

  it('survives closing and reopening the library', async () => {
    const { denim } = await stock();
    lib.close();
    lib = Library.open(dir);
    swatches = new SwatchLibrary(lib);
    expect(swatches.get(denim.id)).toEqual(denim);
  });
});
