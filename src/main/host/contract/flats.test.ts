import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlatDocument } from '../../../shared/flat/schema';
import { openTempStudio, type TempStudio } from '../transport-test-kit';
import { testFixture } from '../../test-fixtures';

let t: TempStudio;
let tmp: string;
beforeEach(() => {
  t = openTempStudio();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-flat-contract-'));
});
afterEach(async () => {
  await t.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('flats.* over the contract', () => {
  it('lists the templates, imports a shared flat and exports it as PNG', async () => {
    const templates = await t.call<Array<{ id: string; category: string; doc: FlatDocument }>>('flats.templates', {});
    expect(templates.map((x) => x.category)).toEqual(['t-shirt', 'shirt', 'polo', 'hoodie', 'jacket', 'coat', 'dress', 'skirt', 'trousers', 'shorts']);

    const imported = await t.call<{ doc: FlatDocument; report: { dropped: unknown[] } }>('flats.importSvg', {
      path: testFixture('garment_flats', 'flats_svg', 'aaron.svg'),
    });
    expect(imported.doc.name).toBe('aaron');
    expect(imported.report.dropped).toEqual([]);

    const png = await t.call<{ pngBase64: string; width: number; height: number }>('flats.exportPng', { doc: imported.doc, dpi: 96 });
    expect([png.width, png.height]).toEqual([1000, 1000]);
    expect(Buffer.from(png.pngBase64, 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('answers hostile SVG and bad documents with typed errors', async () => {
    const evil = path.join(tmp, 'evil.svg');
    fs.writeFileSync(evil, '<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>');
    expect(await t.dispatch('flats.importSvg', { path: evil })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/DOCTYPE/) } });
    expect(await t.dispatch('flats.exportPng', { doc: { schemaVersion: 2 } })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
