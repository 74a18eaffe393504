import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job, JobProgress } from '../../../shared/contract';
import { AssembleResultSchema, CatalogueSchema, type RecipeFile } from '../../../shared/contract/models';
import type { JobQueueOptions } from '../jobs';
import { makePack, openManager, sha256, tempDir, treeOf, writePackFolder } from './test-packs';
import { SourceServer } from './test-server';

// models.assemble jobs on the toolchain's tiny sd15-garment recipe and twins, served from 127.0.0.1:
// pause, cancel and resume across a restart (a new queue and manager on the same library).
const FIXTURE = fileURLToPath(new URL('./fixtures/tiny-sd15-garment/', import.meta.url));
const ROLES = ['checkpoint', 'ip_adapter', 'image_encoder', 'controlnet'] as const;
const bodies = Object.fromEntries(ROLES.map((r) => [r, fs.readFileSync(path.join(FIXTURE, 'sources', `${r}.safetensors`))])) as Record<(typeof ROLES)[number], Buffer>;
const recipe = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'recipe', 'recipe.json'), 'utf8')) as { graphs: { data: string; tensors: string }[] };
/** The data files in the order the assembler writes them. */
const DATA = recipe.graphs.map((g) => g.data);
const dataBytes = recipe.graphs.reduce((a, g) => a + (JSON.parse(fs.readFileSync(path.join(FIXTURE, 'recipe', g.tensors), 'utf8')) as { dataBytes: number }).dataBytes, 0);
const PACK = 'jinxiu-sd15-garment';
const ACCEPT = ['creativeml-openrail-m', 'openrail'];

let root: string;
let server: SourceServer;
let env: ReturnType<typeof openManager>;
/** Every progress report of every queue this test opened, in order. */
let seen: { id: string; progress: JobProgress }[];
/** Called with each progress report, on the queue's own call stack (so a stop lands exactly there). */
let onReport: (id: string, progress: JobProgress) => void;

const open = (queue: JobQueueOptions = {}) => {
  const opened = openManager(root, { recipesDir: path.join(root, 'recipes'), retries: 0 }, {
    ...queue,
    onProgress: (job, progress) => {
      seen.push({ id: job.id, progress });
      onReport(job.id, progress);
    },
  });
  opened.jobs.start();
  return opened;
};

beforeEach(async () => {
  root = tempDir('assemble-job');
  seen = [];
  onReport = () => undefined;
  fs.cpSync(path.join(FIXTURE, 'recipe'), path.join(root, 'recipes', 'sd15-garment'), { recursive: true });
  server = await new SourceServer().start();
  for (const role of ROLES) server.files.set(`${role}.safetensors`, { body: bodies[role] });
  const openrail = { id: 'creativeml-openrail-m', name: 'CreativeML OpenRAIL-M', mustAccept: true };
  const licences = { checkpoint: openrail, ip_adapter: { id: 'apache-2.0', name: 'Apache-2.0', mustAccept: false }, image_encoder: { id: 'apache-2.0', name: 'Apache-2.0', mustAccept: false }, controlnet: { id: 'openrail', name: 'OpenRAIL', mustAccept: true } };
  const files: RecipeFile[] = ROLES.map((role) => ({
    role,
    name: `tiny ${role}`,
    url: server.url(`${role}.safetensors`),
    sizeBytes: bodies[role].length,
    verify: 'sha256',
    sha256: sha256(bodies[role]),
    publishedFrom: 'test',
    publisher: 'https://example.invalid/',
    licence: licences[role],
  }));
  const download = files.reduce((a, f) => a + f.sizeBytes!, 0);
  const entry = { id: 'sd15-garment', kind: 'garment', name: 'Tiny', files, downloadBytes: download, packDataBytes: dataBytes, assemblyBytes: download + dataBytes, sizesComplete: true };
  fs.writeFileSync(path.join(root, 'catalogue.json'), JSON.stringify(CatalogueSchema.parse({ catalogueVersion: 1, packs: [], recipes: [entry] })));
  env = open();
});

afterEach(async () => {
  await env.close();
  await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const models = () => path.join(root, 'library', 'models');
const staging = () => path.join(models(), '.assembling', PACK);
const messages = (job: Job) => seen.filter((s) => s.id === job.id).map((s) => s.progress.message);
const stamp = (file: string) => {
  const st = fs.statSync(file);
  return { ino: st.ino, mtimeMs: st.mtimeMs };
};

describe('models.assemble jobs', () => {
  it('counts bytes across downloading and assembling, names each phase and file, and returns the pack with its offers', async () => {
    const job = env.models.startRecipe('sd15-garment', { accepted: ACCEPT });
    expect(job).toMatchObject({ kind: 'models.assemble', state: 'queued', params: { recipeId: 'sd15-garment', acceptedLicences: ACCEPT } });
    // Asking again while it is queued or running returns the same job.
    expect(env.models.startRecipe('sd15-garment', { accepted: ACCEPT }).id).toBe(job.id);
    expect(env.models.catalogueRecipes()[0]).toMatchObject({ installedPackId: null, activeJobId: job.id });
    const done = await env.jobs.waitFor(job.id);
    expect(done.state).toBe('succeeded');
    expect(AssembleResultSchema.parse(done.result)).toEqual({ packId: PACK, kind: 'garment', offerDefault: false, offerReindex: false });
    const total = Object.values(bodies).reduce((a, b) => a + b.length, 0) + dataBytes;
    const reports = seen.filter((s) => s.id === job.id).map((s) => s.progress);
    expect(reports.every((p) => p.total === total)).toBe(true);
    const steps = reports.map((p) => p.step!);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(reports.at(-1)).toMatchObject({ step: total, fraction: 1 });
    const said = messages(job).join('\n');
    expect(said).toMatch(/^downloading tiny checkpoint$/m);
    for (const data of DATA) expect(said).toContain(`assembled ${data}`);
    expect(said).toContain(`installing ${PACK}`);
    expect(env.models.catalogueRecipes()[0]).toMatchObject({ installedPackId: PACK, activeJobId: null });
    expect(await env.models.verify(PACK)).toMatchObject({ ok: true });
    expect(fs.existsSync(path.join(models(), '.assembling'))).toBe(false);
  });

  it('resumes after a restart: graphs finished before are verified, not written again, and the pack verifies', async () => {
    // The studio stops (as at a quit or crash) right after the second graph's data file is complete.
    onReport = (_id, p) => {
      if (p.message === `assembled ${DATA[1]}`) void env.jobs.stop();
    };
    const first = env.models.startRecipe('sd15-garment', { accepted: ACCEPT });
    expect(await env.jobs.waitFor(first.id)).toMatchObject({ state: 'interrupted' });
    const journal = JSON.parse(fs.readFileSync(path.join(staging(), 'journal.json'), 'utf8')) as { done: Record<string, { size: number; sha256: string }> };
    expect(Object.keys(journal.done).sort()).toEqual(DATA.slice(0, 2).sort());
    for (const data of DATA.slice(0, 2)) expect(sha256(fs.readFileSync(path.join(staging(), 'pack', data)))).toBe(journal.done[data]!.sha256);
    const before = DATA.slice(0, 2).map((d) => stamp(path.join(staging(), 'pack', d)));
    expect(fs.existsSync(path.join(staging(), 'pack', DATA[2]!))).toBe(false);

    await env.close();
    server.requests.length = 0;
    env = open();
    // While the third graph is written, the first two are still the very files written before.
    let during: ReturnType<typeof stamp>[] | null = null;
    onReport = (_id, p) => {
      if (p.message === `assembled ${DATA[2]}`) during = DATA.slice(0, 2).map((d) => stamp(path.join(staging(), 'pack', d)));
    };
    const second = env.models.startRecipe('sd15-garment', { accepted: ACCEPT });
    expect(second.id).not.toBe(first.id);
    expect(await env.jobs.waitFor(second.id)).toMatchObject({ state: 'succeeded', result: { packId: PACK } });
    expect(during).toEqual(before);
    const said = messages(second);
    for (const data of DATA.slice(0, 2)) {
      expect(said).toContain(`${data} was written before and still verifies`);
      expect(said).not.toContain(`assembled ${data}`);
    }
    for (const data of DATA.slice(2)) expect(said).toContain(`assembled ${data}`);
    // The downloads were complete and verified in the cache: none is fetched again.
    expect(server.requests.filter((r) => r.path.startsWith('/cdn/'))).toEqual([]);
    expect(await env.models.verify(PACK)).toEqual({ id: PACK, ok: true, problems: [] });
    expect(fs.existsSync(path.join(models(), '.assembling'))).toBe(false);
  });

  it('writes a finished graph again when its file changed while paused', async () => {
    onReport = (id, p) => {
      if (p.message === `assembled ${DATA[0]}`) env.models.pause(id);
    };
    const first = env.models.startRecipe('sd15-garment', { accepted: ACCEPT });
    expect(await env.jobs.waitFor(first.id)).toMatchObject({ state: 'cancelled' });
    const file = path.join(staging(), 'pack', DATA[0]!);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 1] = bytes.at(-1)! ^ 0xff;
    fs.writeFileSync(file, bytes);
    onReport = () => undefined;
    const second = env.models.startRecipe('sd15-garment', { accepted: ACCEPT });
    expect(await env.jobs.waitFor(second.id)).toMatchObject({ state: 'succeeded' });
    expect(messages(second)).toContain(`assembled ${DATA[0]}`);
    expect(await env.models.verify(PACK)).toMatchObject({ ok: true });
  });

  it('resumes a download from its partial file after a restart', async () => {
    const half = Math.floor(bodies.checkpoint.length / 2);
    server.files.set('checkpoint.safetensors', { body: bodies.checkpoint, holdAfter: half });
    onReport = (_id, p) => {
      if (p.message === 'downloading tiny checkpoint' && p.step === half) void env.jobs.stop();
    };
    const first = env.models.startRecipe('sd15-garment', { accepted: ACCEPT });
    expect(await env.jobs.waitFor(first.id)).toMatchObject({ state: 'interrupted' });
    await env.close();
    server.release();
    server.files.set('checkpoint.safetensors', { body: bodies.checkpoint });
    server.requests.length = 0;
    env = open();
    onReport = () => undefined;
    const second = env.models.startRecipe('sd15-garment', { accepted: ACCEPT });
    expect(await env.jobs.waitFor(second.id)).toMatchObject({ state: 'succeeded' });
    expect(server.requests.filter((r) => r.path === '/cdn/checkpoint.safetensors').map((r) => r.range)).toEqual([`bytes=${half}-`]);
    expect(await env.models.verify(PACK)).toMatchObject({ ok: true });
  });

  it('cancel stops within a second and leaves no staging, no partial download and no pack', async () => {
    let cancelledAt = 0;
    onReport = (id, p) => {
      if (p.message === `assembled ${DATA[0]}` && !cancelledAt) {
        cancelledAt = performance.now();
        env.jobs.cancel(id);
      }
    };
    const job = env.models.startRecipe('sd15-garment', { accepted: ACCEPT });
    const done = await env.jobs.waitFor(job.id);
    expect(performance.now() - cancelledAt).toBeLessThan(1000);
    expect(done).toMatchObject({ state: 'cancelled', error: { code: 'JOB_CANCELLED' } });
    expect(fs.existsSync(path.join(models(), '.assembling'))).toBe(false);
    expect(treeOf(path.join(models(), '.downloads', 'sources')).filter((f) => f.endsWith('.part'))).toEqual([]);
    expect(await env.models.list()).toEqual([]);
  });

  it('leaves the bundled pack in use until the technician chooses the assembled one, and falls back to it when that is removed', async () => {
    // What the app ships: a demonstration garment pack (the manager reads bundled packs on each call).
    writePackFolder(path.join(root, 'bundled', 'garment-default'), makePack('garment-default', {}));
    const used = async () => (await env.models.defaultPack('garment'))?.id;
    const marked = async () => (await env.models.list()).filter((p) => p.isDefault).map((p) => `${p.source}:${p.id}`);
    // (a) A fresh library draws with the bundled pack.
    expect(await used()).toBe('garment-default');
    expect(await marked()).toEqual(['bundled:garment-default']);

    // (b) Installed, not chosen: the bundled pack still draws, the list says so, and the job offers the new one.
    const done = await env.jobs.waitFor(env.models.startRecipe('sd15-garment', { accepted: ACCEPT }).id);
    expect(AssembleResultSchema.parse(done.result)).toEqual({ packId: PACK, kind: 'garment', offerDefault: true, offerReindex: false });
    expect(await used()).toBe('garment-default');
    expect(await marked()).toEqual(['bundled:garment-default']);

    // (c) Chosen: it draws, on a new manager over the same library too.
    expect((await env.models.setDefault(PACK)).isDefault).toBe(true);
    expect(await used()).toBe(PACK);
    await env.close();
    env = open();
    expect(await used()).toBe(PACK);
    expect(await marked()).toEqual([`library:${PACK}`]);

    // (d) Chosen then removed: back to the bundled pack.
    await env.models.remove(PACK);
    expect(await used()).toBe('garment-default');
    expect(await marked()).toEqual(['bundled:garment-default']);
  });

  it('offers the re-index for a motif pack once the motif library holds vectors of another pack', async () => {
    const motif = fileURLToPath(new URL('./fixtures/tiny-chinese-clip-motif/', import.meta.url));
    fs.cpSync(path.join(motif, 'recipe'), path.join(root, 'recipes', 'chinese-clip-motif'), { recursive: true });
    const checkpoint = fs.readFileSync(path.join(motif, 'sources', 'checkpoint.safetensors'));
    server.files.set('clip.safetensors', { body: checkpoint });
    const motifData = fs
      .readdirSync(path.join(motif, 'recipe'))
      .filter((f) => f.endsWith('.tensors.json'))
      .reduce((a, f) => a + (JSON.parse(fs.readFileSync(path.join(motif, 'recipe', f), 'utf8')) as { dataBytes: number }).dataBytes, 0);
    const file: RecipeFile = { role: 'checkpoint', name: 'tiny clip', url: server.url('clip.safetensors'), sizeBytes: checkpoint.length, verify: 'sha256', sha256: sha256(checkpoint), publishedFrom: 'test', publisher: 'https://example.invalid/', licence: { id: 'mit', name: 'MIT', mustAccept: false } };
    const entry = { id: 'chinese-clip-motif', kind: 'motif', name: 'Tiny CLIP', files: [file], downloadBytes: checkpoint.length, packDataBytes: motifData, assemblyBytes: checkpoint.length + motifData, sizesComplete: true };
    fs.writeFileSync(path.join(root, 'catalogue.json'), JSON.stringify(CatalogueSchema.parse({ catalogueVersion: 1, packs: [], recipes: [entry] })));

    const first = await env.jobs.waitFor(env.models.startRecipe('chinese-clip-motif').id);
    expect(first).toMatchObject({ state: 'succeeded', result: { packId: 'jinxiu-chinese-clip-motif', kind: 'motif', offerDefault: false, offerReindex: false } });
    // One motif indexed with the small bundled-style model: a new motif pack should offer to index it again.
    const db = env.library.db;
    const now = new Date().toISOString();
    db.prepare('INSERT INTO files (sha256, size, mime, created_at) VALUES (?, 1, ?, ?)').run('a'.repeat(64), 'image/png', now);
    db.prepare('INSERT INTO motifs (id, file_sha256, created_at) VALUES (?, ?, ?)').run('m1', 'a'.repeat(64), now);
    db.prepare('INSERT INTO motif_embeddings (motif_id, pack_id, pack_version, dim, crop, vector) VALUES (?, ?, ?, 1, 0, ?)').run('m1', 'jinxiu-motif-small', '1', Buffer.alloc(4));
    await env.models.remove('jinxiu-chinese-clip-motif');
    const second = await env.jobs.waitFor(env.models.startRecipe('chinese-clip-motif').id);
    expect(second).toMatchObject({ state: 'succeeded', result: { offerReindex: true } });
  });

  it('refuses when the disk lacks the space assembly needs, before a byte is downloaded, leaving the library as it was', async () => {
    const catalogue = JSON.parse(fs.readFileSync(path.join(root, 'catalogue.json'), 'utf8')) as { recipes: { packDataBytes: number; assemblyBytes: number; downloadBytes: number }[] };
    const recipe = catalogue.recipes[0]!;
    // A petabyte of graph data: no test machine has it free.
    recipe.packDataBytes = 1e15;
    recipe.assemblyBytes = recipe.downloadBytes + recipe.packDataBytes;
    fs.writeFileSync(path.join(root, 'catalogue.json'), JSON.stringify(catalogue));
    const before = await env.models.list();
    const done = await env.jobs.waitFor(env.models.startRecipe('sd15-garment', { accepted: ACCEPT }).id);
    expect(done).toMatchObject({ state: 'failed', error: { code: 'DISK_FULL', message: expect.stringContaining('Not enough free space to download and assemble sd15-garment') } });
    expect(server.requests).toEqual([]);
    expect(await env.models.list()).toEqual(before);
    expect(fs.existsSync(path.join(models(), '.assembling'))).toBe(false);
  });
});
