import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePack, openManager, tempDir, writePackFolder } from './test-packs';

let root: string;
let env: ReturnType<typeof openManager>;

beforeEach(() => {
  root = tempDir('default');
  // What the app ships: one pack of each kind, read-only.
  writePackFolder(path.join(root, 'bundled', 'motif-default'), makePack('motif-default', {}, { kind: 'motif' }));
  writePackFolder(path.join(root, 'bundled', 'garment-default'), makePack('garment-default', {}));
  env = openManager(root);
});

afterEach(async () => {
  await env.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Each listed pack as `source:id`, with the ones marked default. */
async function marked(): Promise<string[]> {
  return (await env.models.list()).filter((p) => p.isDefault).map((p) => `${p.source}:${p.id}`);
}

/** The packs the engines would take (motif search, garment generation), as `source:id`. */
async function used(): Promise<string[]> {
  const out: string[] = [];
  for (const kind of ['garment', 'motif'] as const) {
    const loc = await env.models.defaultPack(kind);
    if (loc) out.push(`${loc.source}:${loc.id}`);
  }
  return out;
}

const installMotif = (id: string) => env.models.installFromPath(writePackFolder(path.join(root, 'src', id), makePack(id, {}, { kind: 'motif' })));

describe('isDefault names the pack the studio uses for each kind', () => {
  it('with no default chosen, the bundled packs are the defaults', async () => {
    expect(await used()).toEqual(['bundled:garment-default', 'bundled:motif-default']);
    expect((await marked()).sort()).toEqual(['bundled:garment-default', 'bundled:motif-default']);
  });

  it('a library pack installed but not chosen is not used: the bundled pack of its kind stays the default', async () => {
    const installed = await installMotif('cn-clip-laclip');
    expect(installed.isDefault).toBe(false);
    expect(await used()).toEqual(['bundled:garment-default', 'bundled:motif-default']);
    expect((await marked()).sort()).toEqual(['bundled:garment-default', 'bundled:motif-default']);
    // One sorting before it changes nothing either.
    expect((await installMotif('a-motif-first-by-name')).isDefault).toBe(false);
    expect((await marked()).sort()).toEqual((await used()).sort());
  });

  it('with no bundled pack of a kind and none chosen, the first library pack is used, as before', async () => {
    fs.rmSync(path.join(root, 'bundled', 'motif-default'), { recursive: true });
    await installMotif('zh-motif');
    expect((await installMotif('cn-clip-laclip')).isDefault).toBe(true);
    expect(await used()).toEqual(['bundled:garment-default', 'library:cn-clip-laclip']);
    expect((await marked()).sort()).toEqual(['bundled:garment-default', 'library:cn-clip-laclip']);
  });

  it('a chosen default is marked, and the bundled pack is marked again once it is chosen back', async () => {
    await installMotif('cn-clip-laclip');
    await installMotif('a-motif-first-by-name');
    expect((await env.models.setDefault('cn-clip-laclip')).isDefault).toBe(true);
    expect((await marked()).sort()).toEqual(['bundled:garment-default', 'library:cn-clip-laclip']);
    expect((await env.models.setDefault('motif-default')).isDefault).toBe(true);
    expect((await marked()).sort()).toEqual(['bundled:garment-default', 'bundled:motif-default']);
    expect((await marked()).sort()).toEqual((await used()).sort());
  });

  it('when the chosen pack is removed, the studio falls back to the bundled pack, not another library one', async () => {
    await installMotif('cn-clip-laclip');
    await installMotif('a-motif-first-by-name');
    await env.models.setDefault('cn-clip-laclip');
    expect(await used()).toEqual(['bundled:garment-default', 'library:cn-clip-laclip']);
    await env.models.remove('cn-clip-laclip');
    expect(await used()).toEqual(['bundled:garment-default', 'bundled:motif-default']);
    expect((await marked()).sort()).toEqual(['bundled:garment-default', 'bundled:motif-default']);
  });

  it('a library pack shadowing a bundled one of the same id is the one marked, chosen or not', async () => {
    // The same id is the shipped pack's update: it stands in for the bundled one without being chosen.
    expect((await installMotif('motif-default')).isDefault).toBe(true);
    const motifs = async () => (await env.models.list()).filter((p) => p.kind === 'motif').map((p) => [p.source, p.isDefault]);
    expect(await motifs()).toEqual([
      ['library', true],
      ['bundled', false],
    ]);
    await env.models.setDefault('motif-default');
    expect(await motifs()).toEqual([
      ['library', true],
      ['bundled', false],
    ]);
  });
});
