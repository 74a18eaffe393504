import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecipeFile } from '../../../shared/contract/models';
import { Library } from '../library';
import { PackSettings } from './pack-settings';
import { fetchSource } from './source-fetch';
import { sha256, tempDir } from './test-packs';
import { SourceServer } from './test-server';

let root: string;
let server: SourceServer;
let lib: Library;
let settings: PackSettings;
let cache: string;
const body = crypto.randomBytes(70_000);

beforeAll(async () => {
  root = tempDir('source-fetch');
  server = await new SourceServer().start();
});
afterAll(async () => {
  await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  const dir = fs.mkdtempSync(path.join(root, 'lib-'));
  lib = Library.open(dir);
  settings = new PackSettings(lib.db);
  cache = path.join(dir, 'cache');
  server.files.clear();
  server.requests.length = 0;
});
afterEach(() => lib.close());

const licence = { id: 'mit', name: 'MIT', mustAccept: false };
function entry(name: string, extra: Partial<RecipeFile> = {}): RecipeFile {
  return { role: 'lcm', name, url: server.url(name), sizeBytes: null, verify: 'server-sha256', sha256: null, publishedFrom: 'test', licence, publisher: 'https://example.invalid/', ...extra };
}
const fetch = (file: RecipeFile) => fetchSource({ file, dir: cache, settings, signal: new AbortController().signal, onBytes: () => {} });
const cached = () => (fs.existsSync(cache) ? fs.readdirSync(cache) : []);

describe('fetchSource', () => {
  it('verifies a server-sha256 file against the hash the server states, records it with the commit, and pins later downloads to that revision', async () => {
    server.files.set('lora.safetensors', { body });
    const got = await fetch(entry('lora.safetensors'));
    expect(got).toMatchObject({ sha256: sha256(body), sizeBytes: body.length, commit: server.commit });
    expect(sha256(fs.readFileSync(got.path))).toBe(sha256(body));
    expect(settings.sourcePin(server.url('lora.safetensors'))).toMatchObject({ sha256: sha256(body), commit: server.commit, sizeBytes: body.length });

    // The branch moves on: a pinned download neither asks for main nor accepts the new bytes.
    fs.rmSync(got.path);
    server.requests.length = 0;
    server.files.set('lora.safetensors', { body: Buffer.alloc(body.length, 1), statedSha256: sha256(Buffer.alloc(body.length, 1)) });
    await expect(fetch(entry('lora.safetensors'))).rejects.toThrow(`but the revision pinned in the library says ${sha256(body)}`);
    expect(server.requests.map((r) => r.path).filter((p) => p.includes('/resolve/'))).toEqual([`/org/repo/resolve/${server.commit}/lora.safetensors`]);
    expect(cached()).toEqual([]);
  });

  it('refuses a body whose hash differs from the one the server states, keeping nothing and recording no pin', async () => {
    server.files.set('lora.safetensors', { body, statedSha256: sha256(Buffer.from('something else')) });
    await expect(fetch(entry('lora.safetensors'))).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringContaining(`lora.safetensors from ${server.url('lora.safetensors')} has sha256 ${sha256(body)}, but the server (X-Linked-Etag) says ${sha256(Buffer.from('something else'))}`) });
    expect(cached()).toEqual([]);
    expect(settings.sourcePin(server.url('lora.safetensors'))).toBeNull();
  });

  it('refuses a server-sha256 file whose server states no hash, before downloading it', async () => {
    server.files.set('vocab.txt', { body, statedSha256: null });
    await expect(fetch(entry('vocab.txt'))).rejects.toThrow('vocab.txt has no published sha256 and');
    expect(server.requests.filter((r) => r.path.startsWith('/cdn/')).map((r) => r.range)).toEqual(['bytes=0-0']);
    expect(cached()).toEqual([]);
  });

  it('checks a published sha256 and size, whatever the server states', async () => {
    server.files.set('adapter.safetensors', { body });
    const published = entry('adapter.safetensors', { verify: 'sha256', sha256: sha256(Buffer.from('published')), sizeBytes: body.length });
    await expect(fetch(published)).rejects.toThrow(`but the catalogue says ${sha256(Buffer.from('published'))}`);
    const good = await fetch({ ...published, sha256: sha256(body) });
    expect(good).toMatchObject({ sha256: sha256(body), commit: null });
    expect(settings.sourcePin(published.url)).toBeNull();
  });
});
