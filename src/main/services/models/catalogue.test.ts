import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract';
import { loadRecipe } from './assembly';
import { loadCatalogue } from './catalogue';
import { tempDir } from './test-packs';

const RESOURCES = fileURLToPath(new URL('../../../../resources/models/', import.meta.url));
const SHIPPED = path.join(RESOURCES, 'catalogue.json');
const root = tempDir('catalogue');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function writeCatalogue(name: string, value: unknown): string {
  const file = path.join(root, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

const shipped = () => JSON.parse(fs.readFileSync(SHIPPED, 'utf8')) as { catalogueVersion: 1; packs: unknown[]; recipes: Record<string, unknown>[] };

describe('the shipped catalogue', () => {
  const catalogue = loadCatalogue(SHIPPED);

  it('lists the three shipped recipes, each filling every source its recipe.json needs', async () => {
    expect(catalogue.recipes.map((r) => r.id)).toEqual(['sd15-garment', 'sd15-garment-lcm', 'chinese-clip-motif']);
    for (const entry of catalogue.recipes) {
      const recipe = await loadRecipe(path.join(RESOURCES, 'recipes', entry.id));
      const needed = Object.entries(recipe.recipe.sources)
        .filter(([, s]) => !s.optional)
        .map(([role]) => role)
        .sort();
      expect(entry.files.map((f) => f.role).filter((r) => r !== 'pack-file').sort()).toEqual(needed);
      expect(entry.kind).toBe(recipe.recipe.manifest.kind);
      // The disk check before assembly trusts this number: it must be what the tensor maps write.
      expect(entry.packDataBytes).toBe(recipe.graphs.reduce((a, g) => a + g.map.dataBytes, 0));
    }
  });

  it('pins the published hashes and sizes, and leaves the unpublished ones to the server', () => {
    const byName = new Map(catalogue.recipes.flatMap((r) => r.files).map((f) => [f.url.split('/').pop(), f]));
    expect(byName.get('serenity_v21Safetensors.safetensors')).toMatchObject({
      sha256: '78d625f19db11d0df381e3ca0c2da6343e04572f4a1493982b3a8f37a83e78c8',
      sizeBytes: null,
      licence: { id: 'creativeml-openrail-m', mustAccept: true },
    });
    expect(byName.get('ip-adapter_sd15.safetensors')).toMatchObject({
      sha256: '289b45f16d043d0bf542e45831f971dcdaabe18b656f11e86d9dfba7e9ee3369',
      sizeBytes: 44_642_768,
      licence: { id: 'apache-2.0', mustAccept: false },
    });
    expect(byName.get('model.safetensors')?.url).toContain('OFA-Sys/chinese-clip-vit-base-patch16');
    expect(byName.get('control_v11p_sd15_lineart_fp16.safetensors')).toMatchObject({
      sha256: '10559106d1bb8196298b7a81565ede9279295d2b2df15165b9dbe189994def56',
      sizeBytes: 722_601_104,
      licence: { id: 'openrail', mustAccept: true },
    });
    const encoder = catalogue.recipes[0]!.files.find((f) => f.role === 'image_encoder');
    expect(encoder).toMatchObject({ sha256: '6ca9667da1ca9e0b0f75e46bb030f7e011f44f86cbfb8d5a36590fcd7507b030', sizeBytes: 2_528_373_448 });
    expect(byName.get('pytorch_lora_weights.safetensors')).toMatchObject({ verify: 'server-sha256', sha256: null, licence: { id: 'openrail++', mustAccept: true } });
    for (const f of catalogue.recipes.flatMap((r) => r.files)) {
      if (f.verify === 'server-sha256') expect(f.note).toMatch(/X-Linked-Etag.*X-Repo-Commit/);
      if (/openrail/i.test(f.licence.name)) expect(f.licence.mustAccept).toBe(true);
    }
    const sd15 = catalogue.recipes[0]!;
    expect(sd15).toMatchObject({ downloadBytes: 44_642_768 + 2_528_373_448 + 722_601_104, sizesComplete: false });
    expect(sd15.assemblyBytes).toBe(sd15.downloadBytes + sd15.packDataBytes);
  });
});

describe('loadCatalogue', () => {
  it('still reads a catalogue of packs only', () => {
    const file = writeCatalogue('packs-only.json', {
      catalogueVersion: 1,
      packs: [{ id: 'jinxiu-far', kind: 'garment', name: 'Far', version: '2', licence: 'MIT', manifestUrl: 'https://example.invalid/m.json' }],
    });
    expect(loadCatalogue(file)).toMatchObject({ packs: [{ id: 'jinxiu-far' }], recipes: [] });
  });

  it.each([
    ['a published-hash file without its hash', (f: Record<string, unknown>) => ({ ...f, sha256: null }), /files\.0\.sha256: a file verified by "sha256" gives its published sha256/],
    ['a server-hash file that claims a hash', (f: Record<string, unknown>) => ({ ...f, verify: 'server-sha256' }), /files\.0\.sha256: .*"server-sha256" file gives none/],
    ['a file:// URL', (f: Record<string, unknown>) => ({ ...f, url: 'file:///etc/passwd' }), /files\.0\.url: only http and https URLs/],
    ['a licence without mustAccept', (f: Record<string, unknown>) => ({ ...f, licence: { id: 'openrail', name: 'OpenRAIL' } }), /files\.0\.licence\.mustAccept/],
  ])('refuses %s, naming the field', (_label, change, message) => {
    const cat = shipped();
    const recipe = cat.recipes[0]!;
    const files = recipe.files as Record<string, unknown>[];
    const file = writeCatalogue('bad-file.json', { ...cat, recipes: [{ ...recipe, files: [change(files[0]!), ...files.slice(1)] }] });
    expect(() => loadCatalogue(file)).toThrow(message);
    expect(() => loadCatalogue(file)).toThrow(AppError);
  });

  it('refuses totals that do not add up to the files and the pack data', () => {
    const cat = shipped();
    const recipe = cat.recipes[0]!;
    const file = writeCatalogue('bad-sum.json', { ...cat, recipes: [{ ...recipe, downloadBytes: 1, assemblyBytes: 2 }] });
    expect(() => loadCatalogue(file)).toThrow(/recipes\.0\.downloadBytes: is 1, but the files' sizes add up to 3295617320/);
  });

  it('refuses two recipes with one id', () => {
    const cat = shipped();
    const file = writeCatalogue('dup.json', { ...cat, recipes: [cat.recipes[0], cat.recipes[0]] });
    expect(() => loadCatalogue(file)).toThrow(/recipe ids in a catalogue must be unique/);
  });
});
