import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract';
import { buildZip, makePack, openManager, packBytes, packEntries, tempDir, treeOf, writePackFolder, type TestPack } from './test-packs';

let root: string;
let env: ReturnType<typeof openManager>;
let pack: TestPack;

beforeEach(() => {
  root = tempDir('install');
  env = openManager(root);
  pack = makePack('jinxiu-garment-tiny', { 'unet.onnx': 40_000, 'text/encoder.onnx': 12_000, 'scheduler.json': Buffer.from('{"steps":50}') });
});

afterEach(async () => {
  await env.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const modelsDir = () => path.join(env.library.dir, 'models');

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** After a refused install the models folder holds no pack and no staging leftovers. */
function expectNothingInstalled() {
  expect(treeOf(modelsDir()).filter((p) => !p.startsWith('.staging'))).toEqual([]);
  expect(treeOf(path.join(modelsDir(), '.staging'))).toEqual([]);
}

describe('install from a folder', () => {
  it('copies a valid pack into place and lists it as verified', async () => {
    const src = writePackFolder(path.join(root, 'src'), pack);
    const installed = await env.models.installFromPath(src);
    expect(installed).toMatchObject({ id: 'jinxiu-garment-tiny', kind: 'garment', source: 'library', features: ['garment-generation'] });
    expect(installed.verification.status).toBe('verified');
    expect(installed.sizeBytes).toBe(packBytes(pack) + pack.manifestBytes.length);
    expect(fs.readFileSync(path.join(modelsDir(), 'jinxiu-garment-tiny', 'text/encoder.onnx'))).toEqual(pack.contents.get('text/encoder.onnx'));
    expect((await env.models.verify('jinxiu-garment-tiny')).ok).toBe(true);
  });

  it('refuses a pack with a wrong hash and leaves nothing behind', async () => {
    const src = writePackFolder(path.join(root, 'src'), pack);
    const bytes = fs.readFileSync(path.join(src, 'unet.onnx'));
    bytes[100] = bytes[100]! ^ 0xff;
    fs.writeFileSync(path.join(src, 'unet.onnx'), bytes);
    const err = await refusal(env.models.installFromPath(src));
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toMatch(/unet\.onnx has sha256 [0-9a-f]{64}; the manifest says/);
    expectNothingInstalled();
  });

  it('refuses missing and extra files and a manifest that breaks the contract', async () => {
    const src = writePackFolder(path.join(root, 'src'), pack);
    fs.rmSync(path.join(src, 'scheduler.json'));
    fs.writeFileSync(path.join(src, 'notes.txt'), 'hello');
    const err = await refusal(env.models.installFromPath(src));
    expect(err.message).toContain('notes.txt is not listed in manifest.json');
    expect(err.message).toContain('scheduler.json is missing');

    fs.writeFileSync(path.join(src, 'manifest.json'), JSON.stringify({ ...pack.manifest, kind: 'shoe' }));
    expect((await refusal(env.models.installFromPath(src))).message).toMatch(/does not match the pack contract: kind/);

    // The shared part is fine, but the per-kind contract (src/shared/packs/manifest.ts) is not.
    const { garment: _garment, ...noSection } = pack.manifest;
    fs.writeFileSync(path.join(src, 'manifest.json'), JSON.stringify(noSection));
    expect((await refusal(env.models.installFromPath(src))).message).toMatch(/does not match the garment pack contract: garment: /);
    expectNothingInstalled();
  });

  it('refuses a second install of the same id with CONFLICT', async () => {
    const src = writePackFolder(path.join(root, 'src'), pack);
    await env.models.installFromPath(src);
    expect((await refusal(env.models.installFromPath(src))).code).toBe('CONFLICT');
  });
});

// The tiny garment pack that the Python toolchain (tools/models) writes: its hashes must agree with ours.
const toolchainPack = new URL('../../../../tools/models/golden/garment-tiny-pack', import.meta.url).pathname;

describe('install a pack written by the Python toolchain', () => {
  it.skipIf(!fs.existsSync(path.join(toolchainPack, 'manifest.json')))('installs and verifies tools/models/golden/garment-tiny-pack', async () => {
    const installed = await env.models.installFromPath(toolchainPack);
    expect(installed).toMatchObject({ id: 'jinxiu-garment-tiny-random', kind: 'garment', verification: { status: 'verified' } });
    expect(await env.models.verify(installed.id)).toEqual({ id: installed.id, ok: true, problems: [] });
  });
});

describe('install from a zip', () => {
  it('installs a zip with the pack at its root or inside one top folder', async () => {
    const atRoot = await buildZip(path.join(root, 'a.zip'), packEntries(pack));
    expect((await env.models.installFromPath(atRoot)).verification.status).toBe('verified');
    await env.models.remove(pack.manifest.id);
    const finderJunk = [
      { name: '__MACOSX/jinxiu-garment-tiny-1.0.0/._unet.onnx', data: Buffer.from('resource fork') },
      { name: 'jinxiu-garment-tiny-1.0.0/.DS_Store', data: Buffer.from('finder') },
    ];
    const nested = await buildZip(path.join(root, 'b.zip'), [...packEntries(pack, 'jinxiu-garment-tiny-1.0.0/'), ...finderJunk]);
    await env.models.installFromPath(nested);
    expect(fs.readFileSync(path.join(modelsDir(), 'jinxiu-garment-tiny', 'unet.onnx'))).toEqual(pack.contents.get('unet.onnx'));
    expect(treeOf(path.join(modelsDir(), 'jinxiu-garment-tiny'))).not.toContain('.DS_Store');
  });

  const hostile: [string, string, string][] = [
    ['a parent-folder entry', 'qq/evil', '../evil'],
    ['an absolute entry', 'qevil', '/evil'],
    ['a drive-letter entry', 'qq/evil', 'C:/evil'],
    ['a backslash entry', 'q_evil', 'q\\evil'],
  ];
  for (const [what, placeholder, raw] of hostile) {
    it(`refuses ${what} (${raw}) before extracting anything`, async () => {
      const zip = await buildZip(path.join(root, 'evil.zip'), [...packEntries(pack), { name: placeholder, data: Buffer.from('pwned') }], { [placeholder]: raw });
      const err = await refusal(env.models.installFromPath(zip));
      expect(err.code).toBe('MODEL_INVALID');
      expect(err.message).toMatch(/is refused: .*evil/);
      expect(err.message).toContain(raw);
      expectNothingInstalled();
      expect(fs.existsSync(path.join(env.library.dir, 'evil'))).toBe(false);
    });
  }

  it('refuses a symbolic link entry', async () => {
    const entries = packEntries(pack);
    entries.push({ name: 'link', data: Buffer.from('/etc/passwd'), mode: 0o120777 });
    const err = await refusal(env.models.installFromPath(await buildZip(path.join(root, 'link.zip'), entries)));
    expect(err.message).toContain('"link" is a symbolic link');
    expectNothingInstalled();
  });

  it('refuses a zip bomb: an entry that unpacks far beyond its manifest size', async () => {
    const bomb = Buffer.alloc(20 * 1024 * 1024); // compresses to ~20 KB
    const entries = packEntries(pack).map((e) => (e.name === 'unet.onnx' ? { ...e, data: bomb } : e));
    const err = await refusal(env.models.installFromPath(await buildZip(path.join(root, 'bomb.zip'), entries)));
    expect(err.message).toContain(`unet.onnx unpacks to ${bomb.length} bytes; the manifest says 40000`);
    expectNothingInstalled();
  });

  it('refuses a zip whose bytes do not match the manifest hash', async () => {
    const entries = packEntries(pack).map((e) => (e.name === 'unet.onnx' ? { ...e, data: Buffer.alloc(40_000, 7) } : e));
    const err = await refusal(env.models.installFromPath(await buildZip(path.join(root, 'bad.zip'), entries)));
    expect(err.message).toMatch(/unet\.onnx has sha256/);
    expectNothingInstalled();
  });

  it('refuses a file that is not a zip', async () => {
    fs.writeFileSync(path.join(root, 'fake.zip'), 'not a zip at all');
    expect((await refusal(env.models.installFromPath(path.join(root, 'fake.zip')))).code).toBe('INVALID_INPUT');
  });
});

describe('installed packs', () => {
  it('verify finds tampered, missing and extra files', async () => {
    await env.models.installFromPath(writePackFolder(path.join(root, 'src'), pack));
    const dir = path.join(modelsDir(), pack.manifest.id);
    const bytes = fs.readFileSync(path.join(dir, 'unet.onnx'));
    bytes[0] = bytes[0]! ^ 1;
    fs.writeFileSync(path.join(dir, 'unet.onnx'), bytes);
    fs.rmSync(path.join(dir, 'scheduler.json'));
    fs.writeFileSync(path.join(dir, 'stray.bin'), 'x');
    const result = await env.models.verify(pack.manifest.id);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => `${p.issue}:${p.path}`).sort()).toEqual(['extra:stray.bin', 'missing:scheduler.json', 'sha256:unet.onnx']);
    const [listed] = await env.models.list();
    expect(listed!.verification.status).toBe('invalid');
  });

  it('a pack edited after verification is listed as unverified until verified again', async () => {
    await env.models.installFromPath(writePackFolder(path.join(root, 'src'), pack));
    const file = path.join(modelsDir(), pack.manifest.id, 'unet.onnx');
    const bytes = fs.readFileSync(file);
    bytes[5] = bytes[5]! ^ 1; // same size, so only a full verify can tell
    fs.writeFileSync(file, bytes);
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect((await env.models.list())[0]!.verification.status).toBe('unverified');
    await env.models.verify(pack.manifest.id);
    expect((await env.models.list())[0]!.verification.status).toBe('invalid');
  });

  it('remove is refused while a lease is held, and works after release', async () => {
    await env.models.installFromPath(writePackFolder(path.join(root, 'src'), pack));
    const lease = await env.models.lease(pack.manifest.id);
    expect((await env.models.list())[0]!.inUse).toBe(1);
    const err = await refusal(env.models.remove(pack.manifest.id));
    expect(err.code).toBe('CONFLICT');
    expect(fs.existsSync(lease.dir)).toBe(true);
    lease.release();
    await env.models.remove(pack.manifest.id);
    expect(await env.models.list()).toEqual([]);
    expect(treeOf(modelsDir())).toEqual(['.staging']);
  });

  it('a lease taken while remove is still looking the pack up wins: remove is refused', async () => {
    await env.models.installFromPath(writePackFolder(path.join(root, 'src'), pack));
    const removal = refusal(env.models.remove(pack.manifest.id));
    const lease = await env.models.lease(pack.manifest.id);
    expect((await removal).code).toBe('CONFLICT');
    expect(fs.existsSync(path.join(lease.dir, 'unet.onnx'))).toBe(true);
    lease.release();
  });

  it('the default pack per kind is kept in the library settings', async () => {
    const motif = makePack('cn-clip-laclip', { 'image.onnx': 1000 }, { kind: 'motif', providers: ['cuda', 'cpu'] });
    await env.models.installFromPath(writePackFolder(path.join(root, 'g'), pack));
    await env.models.installFromPath(writePackFolder(path.join(root, 'm'), motif));
    await env.models.setDefault('cn-clip-laclip');
    await env.close();
    env = openManager(root);
    const packs = await env.models.list();
    expect(packs.map((p) => [p.id, p.isDefault, p.features, p.providers])).toEqual([
      ['cn-clip-laclip', true, ['motif-search'], ['cuda', 'cpu']],
      // Not chosen, but the only garment pack: generation uses it, so it is the default too.
      ['jinxiu-garment-tiny', true, ['garment-generation'], null],
    ]);
    expect((await env.models.defaultPack('motif'))?.id).toBe('cn-clip-laclip');
    await env.models.remove('cn-clip-laclip');
    expect(await env.models.defaultPack('motif')).toBeNull();
  });

  it('lists bundled packs read-only and skips folders without a manifest', async () => {
    writePackFolder(path.join(root, 'bundled', 'shipped'), makePack('jinxiu-shipped', { 'a.onnx': 100 }));
    fs.mkdirSync(path.join(root, 'bundled', 'probe'), { recursive: true });
    fs.writeFileSync(path.join(root, 'bundled', 'probe', 'add.onnx'), 'x');
    const packs = await env.models.list();
    expect(packs.map((p) => [p.id, p.source])).toEqual([['jinxiu-shipped', 'bundled']]);
    expect((await env.models.verify('jinxiu-shipped')).ok).toBe(true);
    expect((await refusal(env.models.remove('jinxiu-shipped'))).code).toBe('CONFLICT');
    expect((await refusal(env.models.remove('nope'))).code).toBe('MODEL_MISSING');
  });
});
