import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempStudio, type TempStudio } from '../transport-test-kit';
import { decodePng } from '../../services/flats';
import { TILES_DIR } from '../../services/render/golden/spec';

let t: TempStudio;
beforeEach(() => {
  t = openTempStudio();
});
afterEach(async () => {
  await t.close();
});

interface Result {
  sha256: string | null;
  pngBase64: string | null;
  width: number;
  height: number;
  pxPerCm: number;
}

describe('render.* over the contract', () => {
  it('renders a colorway from library swatches into the file store, and a batch as bytes', async () => {
    const denim = await t.call<{ id: string }>('swatches.import', {
      path: path.join(TILES_DIR, 'darkdenim3.png'),
      name: 'Raw denim',
      geometry: { widthCm: 6, heightCm: 4.66 },
    });
    const templates = await t.call<Array<{ id: string; doc: unknown }>>('flats.templates', {});
    const shirt = templates.find((x) => x.id === 'template-shirt');
    const doc = shirt!.doc;

    const one = await t.call<Result>('render.colorway', { doc, palette: { all: denim.id }, size: 256 });
    expect(one.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(one.pngBase64).toBeNull();
    const stored = await t.studio.library.files.read(one.sha256!);
    expect(decodePng(stored)).toMatchObject({ width: one.width, height: one.height });
    expect(Math.max(one.width, one.height)).toBe(256);

    const batch = await t.call<Result[]>('render.colorways', {
      doc,
      palettes: [{ all: denim.id }, { all: '#aa3322' }],
      size: 256,
      as: 'bytes',
    });
    expect(batch).toHaveLength(2);
    // The same colorway as bytes is the very PNG stored above.
    expect(Buffer.from(batch[0]!.pngBase64!, 'base64').equals(stored)).toBe(true);
    expect(batch[1]!.pngBase64).not.toBe(batch[0]!.pngBase64);
  });

  it('answers bad requests with a typed error and stores nothing', async () => {
    const [tpl] = await t.call<Array<{ doc: unknown }>>('flats.templates', {});
    const doc = tpl!.doc;
    const before = t.studio.library.info().files.count;
    // The request schema refuses what is malformed; the service refuses what is well-formed but wrong.
    expect(await t.fails('render.colorway', { doc, palette: { all: 'navy' } })).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/swatch id or #rrggbb/) });
    expect(await t.fails('render.colorway', { doc, palette: { nosuchpanel: '#112233' } })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/"nosuchpanel", which is not a shape/) });
    expect((await t.fails('render.colorway', { doc, palette: { all: '6f1c1e52-8c1e-4c5a-9d8e-0a7f3e2b9c11' } })).code).toBe('NOT_FOUND');
    expect((await t.fails('render.colorway', { doc, size: 100000 })).code).toBe('BAD_REQUEST');
    expect((await t.fails('render.colorways', { doc, palettes: [] })).code).toBe('BAD_REQUEST');
    expect(t.studio.library.info().files.count).toBe(before);
  });
});
