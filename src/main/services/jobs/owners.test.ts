import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Library, nowIso } from '../library';
import { JobQueue, type JobContext, type JobQueueOptions } from './index';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');

let dir: string;
let lib: Library;
const queues: JobQueue[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-owners-'));
  lib = Library.open(dir);
});
afterEach(async () => {
  for (const q of queues.splice(0)) await q.stop();
  lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A queue of its own (its own lease) on the shared library, as another process would have. */
function queue(options: JobQueueOptions = {}): JobQueue {
  const q = new JobQueue(lib.db, { pollMs: 10, ...options });
  queues.push(q);
  return q;
}

/** Registers a "stitch" runner that waits for `gate` and returns the name it was given. */
function stitch(q: JobQueue, gate?: Promise<void>, ran?: string[]): void {
  q.register('stitch', async (ctx: JobContext<{ name: string }>) => {
    ran?.push(ctx.params.name);
    await gate;
    ctx.throwIfCancelled();
    return ctx.params.name;
  });
}

const stateOf = (id: string) => (lib.db.prepare('SELECT state FROM jobs WHERE id = ?').get(id) as { state: string }).state;

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.status).toBe(0);
  return child.pid!;
}

describe('job owners', () => {
  it("a second queue on the library leaves a live queue's running and queued jobs alone", async () => {
    const gate = deferred();
    const ranA: string[] = [];
    const a = queue();
    stitch(a, gate.promise, ranA);
    a.start();
    const running = a.enqueue('stitch', { name: 'A1' });
    const queued = a.enqueue('stitch', { name: 'A2' });
    await vi.waitFor(() => expect(ranA).toEqual(['A1']));

    const ranB: string[] = [];
    const b = queue();
    stitch(b, undefined, ranB);
    b.start();
    const own = b.enqueue('stitch', { name: 'B1' });
    expect(await b.waitFor(own.id)).toMatchObject({ state: 'succeeded', result: 'B1' });
    expect(stateOf(running.id)).toBe('running');
    expect(stateOf(queued.id)).toBe('queued');

    gate.resolve();
    expect((await a.waitFor(running.id)).state).toBe('succeeded');
    expect((await a.waitFor(queued.id)).state).toBe('succeeded');
    expect(ranA).toEqual(['A1', 'A2']);
    expect(ranB).toEqual(['B1']);
  });

  it('a queue that does not adopt orphans runs its own jobs, and an orphan only once it waits for it', async () => {
    const gone = queue();
    stitch(gone);
    const orphan = gone.enqueue('stitch', { name: 'orphan' });
    await gone.stop();
    const studio = queue();
    stitch(studio);
    const studios = studio.enqueue('stitch', { name: 'studio' }); // queued, its owner alive but not started

    const ran: string[] = [];
    const command = queue({ adoptOrphans: false });
    stitch(command, undefined, ran);
    command.start();
    const own = command.enqueue('stitch', { name: 'own' });
    expect((await command.waitFor(own.id)).state).toBe('succeeded');
    expect(ran).toEqual(['own']);
    expect(stateOf(orphan.id)).toBe('queued');

    expect(await command.waitFor(orphan.id)).toMatchObject({ state: 'succeeded', result: 'orphan' });
    expect(ran).toEqual(['own', 'orphan']);

    // Waiting for a live owner's job does not take it; the wait ends when its owner has run it.
    const waiting = command.waitFor(studios.id);
    await new Promise((r) => setTimeout(r, 50));
    expect(stateOf(studios.id)).toBe('queued');
    studio.start();
    expect(await waiting).toMatchObject({ state: 'succeeded', result: 'studio' });
    expect(ran).toEqual(['own', 'orphan']);
  });

  it('takes an owner for gone when its process is dead here or its heartbeat ran out, and only then', async () => {
    const now = Date.now();
    const ttlMs = 60_000;
    const dead = deadPid();
    const owners = [
      { id: 'dead-here', pid: dead, host: os.hostname(), heartbeat_at: now },
      { id: 'pid-reused', pid: process.pid, host: os.hostname(), heartbeat_at: now - ttlMs - 1 },
      { id: 'silent-elsewhere', pid: 4242, host: 'another-machine', heartbeat_at: now - ttlMs - 1 },
      { id: 'alive-elsewhere', pid: 4242, host: 'another-machine', heartbeat_at: now - 1000 },
    ];
    const insertOwner = lib.db.prepare(`INSERT INTO job_owners (id, pid, host, started_at, heartbeat_at) VALUES (@id, @pid, @host, '${nowIso()}', @heartbeat_at)`);
    const insertJob = lib.db.prepare(`INSERT INTO jobs (id, kind, state, owner, params, created_at, updated_at) VALUES (?, 'stitch', 'running', ?, '{}', ?, ?)`);
    for (const o of owners) {
      insertOwner.run(o);
      insertJob.run(`job-${o.id}`, o.id, nowIso(), nowIso());
    }
    insertJob.run('job-before-owners', null, nowIso(), nowIso()); // saved by a studio older than owners

    const q = queue({ lease: { ttlMs }, adoptOrphans: false });
    q.start();
    const ended = (id: string) => lib.db.prepare('SELECT state, error FROM jobs WHERE id = ?').get(id) as { state: string; error: string | null };
    const message = (pid?: number) => JSON.stringify({ code: 'JOB_INTERRUPTED', message: `The process running this job${pid ? ` (pid ${pid})` : ''} ended before the job finished.` });
    expect(ended('job-dead-here')).toEqual({ state: 'interrupted', error: message(dead) });
    expect(ended('job-pid-reused')).toEqual({ state: 'interrupted', error: message(process.pid) });
    expect(ended('job-silent-elsewhere')).toEqual({ state: 'interrupted', error: message(4242) });
    expect(ended('job-before-owners')).toEqual({ state: 'interrupted', error: message() });
    expect(ended('job-alive-elsewhere')).toEqual({ state: 'running', error: null });
    const left = lib.db.prepare('SELECT id FROM job_owners ORDER BY id').pluck().all();
    expect(left).toHaveLength(2); // the live one and q's own; the gone leases are swept away
    expect(left).toContain('alive-elsewhere');
  });

  it('keeps its lease alive while it runs, so a later queue with a short lease still leaves its job alone', async () => {
    const lease = { heartbeatMs: 10, ttlMs: 100 };
    const gate = deferred();
    const ran: string[] = [];
    const a = queue({ lease });
    stitch(a, gate.promise, ran);
    a.start();
    const job = a.enqueue('stitch', { name: 'long' });
    await vi.waitFor(() => expect(ran).toEqual(['long']));
    await new Promise((r) => setTimeout(r, 3 * lease.ttlMs));
    queue({ lease }).start();
    expect(stateOf(job.id)).toBe('running');
    gate.resolve();
    expect((await a.waitFor(job.id)).state).toBe('succeeded');
  });

  it('a running job ended by another process ends here with the state that process gave it', async () => {
    const gate = deferred();
    const ran: string[] = [];
    const q = queue();
    q.register('stitch', async (ctx: JobContext) => {
      ran.push(ctx.id);
      await gate.promise;
      ctx.progress({ fraction: 0.5 });
      ctx.throwIfCancelled();
      return 'done';
    });
    q.start();
    const job = q.enqueue('stitch', {});
    await vi.waitFor(() => expect(ran).toEqual([job.id]));
    const error = { code: 'JOB_INTERRUPTED', message: 'The process running this job (pid 1) ended before the job finished.' };
    lib.db.prepare(`UPDATE jobs SET state = 'interrupted', error = ? WHERE id = ?`).run(JSON.stringify(error), job.id);
    gate.resolve();
    expect(await q.waitFor(job.id)).toMatchObject({ state: 'interrupted', error });
  });

  it('a process waiting for a job another process runs stays alive until that job ends', async () => {
    const gate = deferred();
    const q = queue();
    stitch(q, gate.promise);
    q.start();
    const job = q.enqueue('stitch', { name: 'elsewhere' });
    await vi.waitFor(() => expect(stateOf(job.id)).toBe('running'));

    const worker = path.join(here, 'test-fixtures', 'wait-worker.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', worker, dir, job.id], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await vi.waitFor(() => expect(stdout).toBe('waiting\n'), { timeout: 30_000, interval: 20 });
      // Long enough for a process with nothing keeping it alive to have exited already.
      await new Promise((r) => setTimeout(r, 300));
      expect(child.exitCode).toBeNull();
      gate.resolve();
      expect(await exited).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toBe('waiting\nsucceeded "elsewhere"\n');
    } finally {
      gate.resolve();
      child.kill('SIGKILL');
    }
  });

  it('gives up its lease on stop, and not before its running jobs have ended', async () => {
    const gate = deferred();
    const q = queue();
    stitch(q, gate.promise);
    q.start();
    const job = q.enqueue('stitch', { name: 'x' });
    await vi.waitFor(() => expect(stateOf(job.id)).toBe('running'));
    const leases = () => lib.db.prepare('SELECT count(*) FROM job_owners').pluck().get();
    expect(leases()).toBe(1);
    const stopping = q.stop();
    expect(leases()).toBe(1);
    gate.resolve();
    await stopping;
    expect(stateOf(job.id)).toBe('interrupted');
    expect(leases()).toBe(0);
  });
});
