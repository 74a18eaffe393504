import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contract, type Envelope, type PathKind } from '../../shared/contract';
import { buildZip, makePack, packEntries, writePackFolder } from '../services/models/test-packs';
import { HERITAGE_DIR } from '../services/motif/test-kit';
import { Studio } from '../studio';
import { createDispatcher } from './dispatch';
import { createHandlers } from './handlers';
import { startHarness, type Harness } from './harness';
import { RendererPaths } from './renderer-paths';
import { BridgeTestClient } from './transport-test-kit';
import { startWsBridge, type WsBridge } from './ws-bridge';

/*
 * Paths a renderer sends, over the real WebSocket bridge into a real Studio on a temp library. The
 * main side's dialog is Electron's and cannot open here; `chooser` answers what the user picked in it.
 */

/** A tech pack that passes preflight, so a refused export is refused for its path and nothing else. */
const EXPORTABLE = {
  cover: { styleNumber: 'JX-PATHS-1', name: 'Path test tee' },
  pom: { rows: [{ id: 'pom-ch', code: 'CH', description: 'Chest width', value: '52.5', unit: 'cm' }] },
};
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><path d="M10 10 L90 10 L90 90 Z" fill="#ccc" stroke="#000"/></svg>';

let dir: string;
let outside: string;
let studio: Studio;
let bridge: WsBridge;
let client: BridgeTestClient;
/** What the user picks in each dialog opened, in turn. */
let picks: Array<string | null>;
const opened: PathKind[] = [];

async function photo(file: string): Promise<string> {
  const noise = Buffer.alloc(96 * 96 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
  await sharp(noise, { raw: { width: 96, height: 96, channels: 3 } }).png().toFile(file);
  return file;
}

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const answer = await client.request(channel, payload);
  if (!answer.ok) throw new Error(`${channel}: ${answer.error.code} ${answer.error.message}`);
  return answer.value as T;
}

beforeEach(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-renderer-paths-')));
  outside = path.join(dir, 'outside');
  fs.mkdirSync(outside);
  picks = [];
  opened.length = 0;
  studio = Studio.open({ libraryDir: path.join(dir, 'library') }).start();
  const paths = new RendererPaths({
    forbidden: [studio.library.dir],
    chooser: (kind) => {
      opened.push(kind);
      return Promise.resolve(picks.shift() ?? null);
    },
  });
  bridge = await startWsBridge({ dispatch: createDispatcher(contract, createHandlers(studio, paths)), events: studio.events });
  client = await BridgeTestClient.connect(bridge.url);
});

afterEach(async () => {
  await client.close();
  await bridge.close();
  await studio.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const refusal = (what: string, p: string, verb: 'read' | 'write') => ({
  ok: false,
  error: {
    code: 'PATH_NOT_CHOSEN',
    message: `${what} ${JSON.stringify(p)} was not chosen in a file dialog, so the studio will not ${verb} it. Pick it with Choose….`,
  },
});

describe('a tech pack export to a path the renderer sends', () => {
  it('is refused unless the user chose it, writing nothing and recording no revision', async () => {
    const { id: projectId } = await call<{ id: string }>('projects.create', { name: 'Paths' });
    await call('techpack.save', { projectId, document: EXPORTABLE });
    const victim = path.join(outside, 'notes.txt');
    fs.writeFileSync(victim, 'the user’s own notes');
    const fresh = path.join(outside, 'new', 'techpack.pdf');
    fs.symlinkSync(victim, path.join(outside, 'link-to-notes.txt'));

    for (const out of [victim, fresh, path.join(outside, 'link-to-notes.txt')]) {
      expect(await client.request('techpack.export', { projectId, format: 'pdf', out })).toEqual(refusal('The tech pack export', out, 'write'));
      expect(await client.request('techpack.exportJob', { projectId, format: 'pdf', out })).toEqual(refusal('The tech pack export', out, 'write'));
      expect(await client.request('techpack.exportRevision', { projectId, format: 'pdf', out, revision: 1 })).toEqual(
        refusal('The tech pack export', out, 'write'),
      );
    }
    expect(fs.readFileSync(victim, 'utf8')).toBe('the user’s own notes');
    expect(fs.existsSync(path.dirname(fresh))).toBe(false);
    expect(await call('techpack.revisions', { projectId })).toEqual([]);
    expect(await call('jobs.list', {})).toEqual([]);

    // The same export to the file chosen in the save dialog goes through, and only there.
    const chosen = path.join(outside, 'chosen.pdf');
    picks.push(chosen);
    expect(await call('system.choosePath', { kind: 'techPackPdf' })).toEqual({ path: chosen });
    expect(opened).toEqual(['techPackPdf']);
    const result = await call<{ revision: number; files: Array<{ path: string }> }>('techpack.export', { projectId, format: 'pdf', out: chosen });
    expect(result.revision).toBe(1);
    expect(fs.readFileSync(chosen).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await client.request('techpack.export', { projectId, format: 'pdf', out: victim })).toEqual(refusal('The tech pack export', victim, 'write'));
    expect(fs.readFileSync(victim, 'utf8')).toBe('the user’s own notes');
  });

  it('writes PNG sheets inside a folder chosen in the dialog, and nowhere a link inside it leads', async () => {
    const { id: projectId } = await call<{ id: string }>('projects.create', { name: 'Sheets' });
    await call('techpack.save', { projectId, document: EXPORTABLE });
    const folder = path.join(dir, 'sheets');
    fs.mkdirSync(folder);
    fs.symlinkSync(outside, path.join(folder, 'escape'));
    picks.push(folder);
    expect(await call('system.choosePath', { kind: 'techPackFolder' })).toEqual({ path: folder });

    const through = path.join(folder, 'escape', 'sheets');
    expect(await client.request('techpack.export', { projectId, format: 'png', dpi: 36, out: through })).toEqual(
      refusal('The tech pack export', through, 'write'),
    );
    expect(fs.readdirSync(outside)).toEqual([]);
    const inside = path.join(folder, 'ss27');
    const result = await call<{ files: Array<{ path: string }> }>('techpack.export', { projectId, format: 'png', dpi: 36, out: inside });
    expect(result.files.map((f) => path.dirname(f.path))).toEqual(result.files.map(() => inside));
    expect(fs.readdirSync(inside).length).toBe(result.files.length);
  });

  it('is refused inside the library folder even when the user chose it there', async () => {
    const { id: projectId } = await call<{ id: string }>('projects.create', { name: 'Library' });
    await call('techpack.save', { projectId, document: EXPORTABLE });
    const database = path.join(studio.library.dir, 'library.sqlite');
    const before = fs.readFileSync(database);
    picks.push(database);
    await call('system.choosePath', { kind: 'techPackPdf' });
    expect(await client.request('techpack.export', { projectId, format: 'pdf', out: database })).toEqual({
      ok: false,
      error: {
        code: 'PATH_NOT_CHOSEN',
        message: `The tech pack export ${JSON.stringify(database)} lies inside the library folder ${studio.library.dir}, which only the studio itself writes.`,
      },
    });
    expect(fs.readFileSync(database).equals(before)).toBe(true);
    expect(await call('techpack.revisions', { projectId })).toEqual([]);
  });
});

describe('a swatch photo or SVG flat path the renderer sends', () => {
  it('is refused unless the user chose it, and a file chosen to read is not one to write', async () => {
    const tile = await photo(path.join(outside, 'tile.png'));
    const svg = path.join(outside, 'flat.svg');
    fs.writeFileSync(svg, SVG);
    const tileBytes = fs.readFileSync(tile);

    expect(await client.request('swatches.import', { path: tile, name: 'Stolen' })).toEqual(refusal('The swatch photo', tile, 'read'));
    expect(await client.request('flats.importSvg', { path: svg })).toEqual(refusal('The SVG flat', svg, 'read'));
    expect(await call('swatches.list', {})).toEqual([]);
    expect(studio.library.info().files.count).toBe(0);

    picks.push(tile, svg);
    expect(await call('system.choosePath', { kind: 'swatchPhoto' })).toEqual({ path: tile });
    expect(await call('system.choosePath', { kind: 'flatSvg' })).toEqual({ path: svg });
    const swatch = await call<{ name: string }>('swatches.import', { path: tile, name: 'Picked' });
    expect(swatch.name).toBe('Picked');
    expect((await call<{ doc: { name: string } }>('flats.importSvg', { path: svg })).doc.name).toBe('flat');

    // Chosen in an open dialog: read, never written over.
    const { id: projectId } = await call<{ id: string }>('projects.create', { name: 'Overwrite' });
    await call('techpack.save', { projectId, document: EXPORTABLE });
    expect(await client.request('techpack.export', { projectId, format: 'pdf', out: tile })).toEqual(refusal('The tech pack export', tile, 'write'));
    expect(fs.readFileSync(tile).equals(tileBytes)).toBe(true);
  });

  it('answers a cancelled dialog with null and grants nothing', async () => {
    const tile = await photo(path.join(outside, 'tile.png'));
    picks.push(null);
    expect(await call('system.choosePath', { kind: 'swatchPhoto' })).toEqual({ path: null });
    expect(await client.request('swatches.import', { path: tile })).toEqual(refusal('The swatch photo', tile, 'read'));
  });
});

describe('a model pack, motif collection or query image path the renderer sends', () => {
  it('installs a model pack only from the .zip or folder the user chose', async () => {
    const zipped = makePack('jinxiu-garment-zipped', { 'unet.onnx': 64 });
    const zip = await buildZip(path.join(outside, 'zipped.zip'), packEntries(zipped));
    const folder = writePackFolder(path.join(outside, 'unzipped'), makePack('jinxiu-garment-unzipped', { 'unet.onnx': 64 }));
    const installed = async () => (await call<Array<{ id: string }>>('models.list', {})).map((p) => p.id).filter((id) => id.endsWith('zipped'));

    for (const p of [zip, folder]) expect(await client.request('models.installFromPath', { path: p })).toEqual(refusal('The model pack', p, 'read'));
    expect(await installed()).toEqual([]);

    // A zip chosen grants that file and nothing beside it; a folder chosen grants what is in it.
    picks.push(zip, folder);
    expect(await call('system.choosePath', { kind: 'modelPackZip' })).toEqual({ path: zip });
    expect(await client.request('models.installFromPath', { path: folder })).toEqual(refusal('The model pack', folder, 'read'));
    expect(await call('models.installFromPath', { path: zip })).toMatchObject({ id: 'jinxiu-garment-zipped' });
    expect(await call('system.choosePath', { kind: 'modelPackFolder' })).toEqual({ path: folder });
    expect(await call('models.installFromPath', { path: folder })).toMatchObject({ id: 'jinxiu-garment-unzipped' });
    expect(opened).toEqual(['modelPackZip', 'modelPackFolder']);
    expect((await installed()).sort()).toEqual(['jinxiu-garment-unzipped', 'jinxiu-garment-zipped']);
  });

  it('imports a motif collection only from the folder the user chose, its captions, TSV and images inside it', async () => {
    const folder = path.join(outside, 'collection');
    fs.mkdirSync(path.join(folder, 'images'), { recursive: true });
    const line = fs.readFileSync(path.join(HERITAGE_DIR, 'captions.jsonl'), 'utf8').split('\n').find((l) => l.includes('"images/'))!;
    const image = (JSON.parse(line) as { image: string }).image;
    fs.copyFileSync(path.join(HERITAGE_DIR, image), path.join(folder, image));
    fs.writeFileSync(path.join(folder, 'captions.jsonl'), `${line}\n`);
    const elsewhere = path.join(outside, 'elsewhere.jsonl');
    fs.writeFileSync(elsewhere, `${line}\n`);

    expect(await client.request('motifs.import', { folder })).toEqual(refusal('The motif collection folder', folder, 'read'));
    picks.push(folder);
    expect(await call('system.choosePath', { kind: 'motifCollection' })).toEqual({ path: folder });
    expect(await client.request('motifs.import', { folder, captions: elsewhere })).toEqual(refusal('The captions file', elsewhere, 'read'));
    expect(await client.request('motifs.import', { folder, captions: '../elsewhere.jsonl' })).toEqual(refusal('The captions file', elsewhere, 'read'));
    expect(await client.request('motifs.import', { folder, tsv: '../elsewhere.jsonl' })).toEqual(refusal('The image TSV', elsewhere, 'read'));
    expect(await client.request('motifs.import', { folder, images: '..' })).toEqual(refusal('The image folder', outside, 'read'));
    expect(await call('jobs.list', {})).toEqual([]);

    const job = await call<{ id: string }>('motifs.import', { folder, captions: 'captions.jsonl' });
    expect(await studio.jobs.waitFor(job.id)).toMatchObject({ state: 'succeeded', result: { imported: 1 } });
  });

  it('searches by an image file only when the user chose it; a library file needs no choosing', async () => {
    const query = await photo(path.join(outside, 'query.png'));
    expect(await client.request('motifs.search', { image: query })).toEqual(refusal('The image to search by', query, 'read'));
    const byLibraryFile = await client.request('motifs.search', { image: 'a'.repeat(64) });
    expect(byLibraryFile.ok || byLibraryFile.error.code).not.toBe('PATH_NOT_CHOSEN');
  });
});

describe('the browser harness, which has no dialogs', () => {
  let harness: Harness;
  let picked: string;
  let page: BridgeTestClient;

  beforeEach(async () => {
    picked = path.join(dir, 'picked');
    fs.mkdirSync(picked);
    const rendererDir = path.join(dir, 'renderer');
    fs.mkdirSync(rendererDir);
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    harness = await startHarness({ libraryDir: path.join(dir, 'harness-library'), rendererDir, pickedFolders: [picked] });
    page = await BridgeTestClient.connect(`ws://127.0.0.1:${harness.port}/bridge?token=${harness.token}`);
  });
  afterEach(async () => {
    await page.close();
    await harness.close();
  });

  it('takes paths inside the folders it was started with and refuses others, saying which', async () => {
    const inside = await photo(path.join(picked, 'tile.png'));
    const elsewhere = await photo(path.join(outside, 'tile.png'));
    expect(await page.request('system.choosePath', { kind: 'swatchPhoto' })).toEqual({
      ok: false,
      error: { code: 'PATH_NOT_CHOSEN', message: `This studio runs in a browser, without file dialogs: type a path inside a folder it was started with (${picked}).` },
    });
    const refused: Envelope = await page.request('swatches.import', { path: elsewhere });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'PATH_NOT_CHOSEN',
        message: `The swatch photo ${JSON.stringify(elsewhere)} is not inside a folder the studio was started with (${picked}), so the studio will not read it. Start the studio with --allow <folder> to use another folder.`,
      },
    });
    expect(await page.request('swatches.import', { path: path.join(picked, '..', 'outside', 'tile.png') })).toMatchObject({ ok: false, error: { code: 'PATH_NOT_CHOSEN' } });
    expect(harness.studio.library.info().files.count).toBe(0);
    expect(await page.request('swatches.import', { path: inside, name: 'Inside' })).toMatchObject({ ok: true, value: { name: 'Inside' } });
  });

  it('refuses to start with a picked folder that does not exist', async () => {
    const missing = path.join(dir, 'missing');
    const rendererDir = path.join(dir, 'renderer');
    await expect(startHarness({ libraryDir: path.join(dir, 'other-library'), rendererDir, pickedFolders: [missing] })).rejects.toThrow(
      `The folder ${missing} given for the studio to read and write in does not exist.`,
    );
    expect(fs.existsSync(path.join(dir, 'other-library'))).toBe(false);
  });
});
