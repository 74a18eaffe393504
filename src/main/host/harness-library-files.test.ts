import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwatchLibrary } from '../services/swatches';
import { startHarness, type Harness } from './harness';
import { testFixture } from '../test-fixtures';

const TILES = testFixture('textile_tiles', 'images');
let dir: string;
let harness: Harness;
let tileSha: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-harness-files-'));
  const rendererDir = path.join(dir, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  harness = await startHarness({ libraryDir: path.join(dir, 'library'), rendererDir });
  const swatch = await new SwatchLibrary(harness.studio.library).import({ path: path.join(TILES, 'denim.png') });
  tileSha = swatch.tileSha256;
});
afterAll(async () => {
  await harness.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the harness serves library files to the browser like jinxiu:// does', () => {
  it('serves a stored file by sha256 with its type, given the token', async () => {
    const res = await fetch(`${harness.origin}/library-files/${tileSha}?token=${harness.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(await harness.studio.library.files.read(tileSha))).toBe(true);
  });

  it('refuses without the token, and anything that is not a stored sha256', async () => {
    const url = (p: string) => `${harness.origin}/library-files/${p}`;
    expect((await fetch(url(tileSha))).status).toBe(401);
    expect((await fetch(url(`${tileSha}?token=${'0'.repeat(64)}`))).status).toBe(401);
    const token = `?token=${harness.token}`;
    expect((await fetch(url(`${'a'.repeat(64)}${token}`))).status).toBe(404);
    expect((await fetch(url(`..%2F..%2Flibrary.db${token}`))).status).toBe(404);
    expect((await fetch(url(`${tileSha.slice(0, 2)}/${tileSha}${token}`))).status).toBe(404);
    expect((await fetch(`${harness.origin}/library-files/${tileSha}${token}`, { method: 'POST' })).status).toBe(405);
  });
});
