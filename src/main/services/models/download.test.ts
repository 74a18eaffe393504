import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job, JobProgress } from '../../../shared/contract';
import { CatalogueSchema, type CatalogueEntry } from '../../../shared/contract/models';
import { formatBytes } from './models-folder';
import { makePack, openManager, packBytes, sha256, tempDir, treeOf, type TestPack } from './test-packs';
import { PackServer, type Behaviour } from './test-server';

let root: string;
let server: PackServer;
let env: ReturnType<typeof openManager>;
let pack: TestPack;
const progress: { id: string; progress: JobProgress }[] = [];

beforeEach(async () => {
  root = tempDir('download');
  server = await new PackServer().start();
  pack = makePack('jinxiu-garment-dl', { 'unet.onnx': 300_000, 'vae/decoder.onnx': 100_000 });
  server.add(pack);
  progress.length = 0;
  env = openManager(root, { retries: 2, http: { idleTimeoutMs: 10_000 } }, { onProgress: (job, p) => progress.push({ id: job.id, progress: p }) });
  env.jobs.start();
});

afterEach(async () => {
  await env.close();
  await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

function catalogue(behaviour: Behaviour, extra: Partial<CatalogueEntry> = {}): void {
  const entry: CatalogueEntry = {
    id: pack.manifest.id,
    kind: 'garment',
    name: pack.manifest.name,
    version: pack.manifest.version,
    licence: pack.manifest.licence,
    manifestUrl: server.manifestUrl(behaviour, pack.manifest.id),
    ...extra,
  };
  const json = { catalogueVersion: 1, packs: [entry] };
  CatalogueSchema.parse(json);
  fs.writeFileSync(path.join(root, 'catalogue.json'), JSON.stringify(json));
}

const modelsDir = () => path.join(env.library.dir, 'models');
const stagingDir = () => path.join(modelsDir(), '.downloads', `${pack.manifest.id}@1.0.0`);
const partOf = (file: string) => path.join(stagingDir(), `${file}.part`);

async function downloaded(): Promise<Job> {
  return env.jobs.waitFor(env.models.download(pack.manifest.id).id);
}

function expectInstalledIntact(): void {
  for (const [file, bytes] of pack.contents) {
    expect(sha256(fs.readFileSync(path.join(modelsDir(), pack.manifest.id, file)))).toBe(sha256(bytes));
  }
  expect(treeOf(path.join(modelsDir(), '.downloads'))).toEqual([]);
}

function expectNothingLeft(): void {
  expect(fs.existsSync(path.join(modelsDir(), pack.manifest.id))).toBe(false);
  expect(treeOf(path.join(modelsDir(), '.downloads'))).toEqual([]);
}

/** Polls until a condition holds (a wait, not a timing assertion: the test timeout bounds it). */
function until(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = setInterval(() => {
      if (condition()) {
        clearInterval(check);
        resolve();
      }
    }, 10);
  });
}

const partSize = (file: string) => (fs.existsSync(partOf(file)) ? fs.statSync(partOf(file)).size : 0);

/** Resolves once the job has reported some, but not all, of its bytes, and some are on disk. */
async function midway(jobId: string): Promise<void> {
  await until(() => progress.some((p) => p.id === jobId && (p.progress.step ?? 0) > 0 && (p.progress.fraction ?? 1) < 1));
  await until(() => partSize('unet.onnx') > 0);
}

describe('models.download against a real HTTP server', () => {
  it('downloads, verifies and installs a pack, reporting progress in bytes', async () => {
    catalogue('normal');
    const job = await downloaded();
    expect(job.state).toBe('succeeded');
    expect(job.result).toMatchObject({ id: pack.manifest.id, version: '1.0.0' });
    expectInstalledIntact();
    const last = progress.at(-1)!.progress;
    const total = packBytes(pack);
    expect(last).toMatchObject({ fraction: 1, step: total, total });
    expect(last.message).toContain(`${formatBytes(total)} of ${formatBytes(total)}`);
    const [listed] = await env.models.list();
    expect(listed).toMatchObject({ id: pack.manifest.id, source: 'library', verification: { status: 'verified' } });
    expect(env.models.catalogue()[0]).toMatchObject({ installedVersion: '1.0.0', partialBytes: 0, activeJobId: null });
  });

  it('resumes with Range and If-Range after the connection drops halfway', async () => {
    catalogue('drop-once');
    expect((await downloaded()).state).toBe('succeeded');
    expectInstalledIntact();
    const unet = server.requestsFor('unet.onnx');
    expect(unet).toHaveLength(2);
    expect(unet[0]!.range).toBeUndefined();
    expect(unet[1]!.range).toBe('bytes=150000-');
    expect(unet[1]!.ifRange).toMatch(/^"[0-9a-f]{16}"$/);
  });

  it('restarts cleanly from zero when the server ignores Range and answers 200', async () => {
    catalogue('drop-then-ignore-range');
    expect((await downloaded()).state).toBe('succeeded');
    expectInstalledIntact();
    expect(server.requestsFor('vae/decoder.onnx').map((r) => r.range)).toEqual([undefined, 'bytes=50000-']);
  });

  it('deletes a file whose bytes do not match the manifest hash and says so', async () => {
    catalogue('wrong-bytes');
    const job = await downloaded();
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('MODEL_INVALID');
    expect(job.error?.message).toMatch(/unet\.onnx from http:\/\/127\.0\.0\.1:\d+\/.* has sha256 [0-9a-f]{64}, but the manifest says [0-9a-f]{64}; the downloaded file was deleted\./);
    expectNothingLeft();
  });

  for (const [status, code] of [
    ['404', 'NOT_FOUND'],
    ['500', 'MODEL_MISSING'],
  ] as const) {
    it(`fails clearly on HTTP ${status} and leaves nothing behind`, async () => {
      catalogue(status);
      const job = await downloaded();
      expect(job.state).toBe('failed');
      expect(job.error).toEqual({ code, message: expect.stringMatching(new RegExp(`Downloading vae/decoder\\.onnx failed: http://.* answered HTTP ${status}\\.`)) });
      expectNothingLeft();
    });
  }

  it('a slow download can be cancelled mid-way, which removes its .part files', async () => {
    catalogue('slow');
    const job = env.models.download(pack.manifest.id);
    await midway(job.id);
    env.jobs.cancel(job.id);
    expect((await env.jobs.waitFor(job.id)).state).toBe('cancelled');
    expectNothingLeft();
  });

  it('pause keeps the .part file and a later download resumes from it', async () => {
    catalogue('slow');
    const first = env.models.download(pack.manifest.id);
    await midway(first.id);
    env.models.pause(first.id);
    expect((await env.jobs.waitFor(first.id)).state).toBe('cancelled');
    const kept = partSize('unet.onnx');
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(75_000); // the slow server sent a quarter before it stalled
    expect(env.models.catalogue()[0]!.partialBytes).toBeGreaterThanOrEqual(kept);

    server.release();
    const second = await downloaded();
    expect(second.id).not.toBe(first.id);
    expect(second.state).toBe('succeeded');
    expect(server.requestsFor('unet.onnx').at(-1)!.range).toBe(`bytes=${kept}-`);
    expectInstalledIntact();
  });

  it('a download cut off by the studio stopping is interrupted, keeps its .part and resumes after a restart', async () => {
    catalogue('slow');
    const job = env.models.download(pack.manifest.id);
    await midway(job.id);
    await env.close();
    const kept = partSize('unet.onnx');
    expect(kept).toBeGreaterThan(0);
    env = openManager(root);
    env.jobs.start();
    expect(env.jobs.get(job.id).state).toBe('interrupted');
    server.release();
    expect((await downloaded()).state).toBe('succeeded');
    expect(server.requestsFor('unet.onnx').at(-1)!.range).toBe(`bytes=${kept}-`);
    expectInstalledIntact();
  });

  it('gives up on a stalled server after the idle timeout, keeping the .part for a later resume', async () => {
    await env.close();
    env = openManager(root, { retries: 0, http: { idleTimeoutMs: 300 } });
    env.jobs.start();
    catalogue('slow');
    const job = await downloaded();
    expect(job.error?.code).toBe('MODEL_MISSING');
    expect(job.error?.message).toMatch(/^Downloading unet\.onnx failed after 1 try: 127\.0\.0\.1:\d+ sent nothing for 0\.3 s\. What was downloaded is kept; download again to resume\.$/);
    expect(partSize('unet.onnx')).toBeGreaterThan(0);
    server.release();
    expect((await downloaded()).state).toBe('succeeded');
    expectInstalledIntact();
  });

  it('two requests for the same pack share one download', async () => {
    catalogue('slow');
    const a = env.models.download(pack.manifest.id);
    const b = env.models.download(pack.manifest.id);
    expect(b.id).toBe(a.id);
    await midway(a.id);
    expect(env.models.download(pack.manifest.id).id).toBe(a.id);
    server.release();
    expect((await env.jobs.waitFor(a.id)).state).toBe('succeeded');
    expect(server.requestsFor('unet.onnx')).toHaveLength(1);
    expect(server.requestsFor('manifest.json')).toHaveLength(1);
    expect(env.models.downloadJobs().map((j) => j.id)).toEqual([a.id]);
  });

  it('checks free space before fetching any file', async () => {
    const huge = makePack('jinxiu-garment-dl', { 'unet.onnx': 10 });
    huge.manifest.files[0]!.size = 2 ** 52;
    huge.manifestBytes = Buffer.from(JSON.stringify(huge.manifest));
    server.add(huge);
    catalogue('normal');
    const job = await downloaded();
    expect(job.error?.code).toBe('DISK_FULL');
    expect(job.error?.message).toMatch(/^Not enough free space to download jinxiu-garment-dl: it needs 4503\.6 TB/);
    expect(server.requestsFor('unet.onnx')).toHaveLength(0);
    expectNothingLeft();
  });

  it('refuses a manifest that the catalogue pins to another hash', async () => {
    catalogue('normal', { manifestSha256: 'a'.repeat(64) });
    const job = await downloaded();
    expect(job.error?.code).toBe('MODEL_INVALID');
    expect(job.error?.message).toContain(`but the catalogue pins ${'a'.repeat(64)}`);
    expectNothingLeft();
  });

  it('refuses packs missing from the catalogue and packs already installed', async () => {
    catalogue('normal', { manifestSha256: sha256(pack.manifestBytes) });
    expect(() => env.models.download('not-listed')).toThrow(/The model catalogue has no pack "not-listed"/);
    expect((await downloaded()).state).toBe('succeeded');
    expect(() => env.models.download(pack.manifest.id)).toThrow(/already installed/);
  });
});

describe('the shipped catalogue', () => {
  it('parses against the catalogue schema', () => {
    const file = new URL('../../../../resources/models/catalogue.json', import.meta.url);
    expect(CatalogueSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8'))).success).toBe(true);
  });
});
