import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/contract';
import { openTempStudio, type TempStudio } from '../../host/transport-test-kit';
import { decodePng } from '../flats';
import { TILES_DIR } from './golden/spec';

let t: TempStudio;
beforeEach(() => {
  t = openTempStudio();
});
afterEach(async () => {
  await t.close();
});

async function call<T>(name: string, request: unknown): Promise<T> {
  const envelope = (await t.dispatch(name, request)) as Envelope<T>;
  if (!envelope.ok) throw new Error(`${name}: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.value;
}

async function fails(name: string, request: unknown): Promise<{ code: string; message: string }> {
  const envelope = (await t.dispatch(name, request)) as Envelope<unknown>;
  if (envelope.ok) throw new Error(`${name} should have failed`);
  return envelope.error;
}

interface Result {
  sha256: string | null;
  pngBase64: string | null;
  width: number;
  height: number;
  pxPerCm: number;
}

describe('render.* over the contract', () => {
  it('renders a colorway from library swatches into the file store, and a batch as bytes', async () => {
    const denim = await call<{ id: string }>('swatches.import', {
      path: path.join(TILES_DIR, 'darkdenim3.png'),
      name: 'Raw denim',
      geometry: { widthCm: 6, heightCm: 4.66 },
    });
    const templates = await call<Array<{ id: string; doc: unknown }>>('flats.templates', {});
    const shirt = templates.find((x) => x.id === 'template-shirt');
    const doc = shirt!.doc;

    const one = await call<Result>('render.colorway', { doc, palette: { all: denim.id }, size: 256 });
    expect(one.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(one.pngBase64).toBeNull();
    const stored = await t.studio.library.files.read(one.sha256!);
    expect(decodePng(stored)).toMatchObject({ width: one.width, height: one.height });
    expect(Math.max(one.width, one.height)).toBe(256);

    const batch = await call<Result[]>('render.colorways', {
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
    const [tpl] = await call<Array<{ doc: unknown }>>('flats.templates', {});
    const doc = tpl!.doc;
    const before = t.studio.library.info().files.count;
    // The request schema refuses what is malformed; the service refuses what is well-formed but wrong.
    expect(await fails('render.colorway', { doc, palette: { all: 'navy' } })).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/swatch id or #rrggbb/) });
    expect(await fails('render.colorway', { doc, palette: { nosuchpanel: '#112233' } })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/"nosuchpanel", which is not a shape/) });
    expect((await fails('render.colorway', { doc, palette: { all: '6f1c1e52-8c1e-4c5a-9d8e-0a7f3e2b9c11' } })).code).toBe('NOT_FOUND');
    expect((await fails('render.colorway', { doc, size: 100000 })).code).toBe('BAD_REQUEST');
    expect((await fails('render.colorways', { doc, palettes: [] })).code).toBe('BAD_REQUEST');
    expect(t.studio.library.info().files.count).toBe(before);
  });
});
