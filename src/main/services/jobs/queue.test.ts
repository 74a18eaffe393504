import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError, type Job, type JobProgress } from '../../../shared/contract';
import { Library } from '../library';
import { JobQueue, type JobContext, type JobQueueOptions } from './index';

let dir: string;
let lib: Library;
const queues: JobQueue[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-jobs-'));
  lib = Library.open(dir);
});
afterEach(async () => {
  for (const q of queues.splice(0)) await q.stop();
  lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A queue that records its events as text, checking each was saved before it was announced. */
function makeQueue(options: JobQueueOptions = {}) {
  const events: string[] = [];
  const q = new JobQueue(lib.db, {
    ...options,
    onState: (job: Job) => {
      const saved = lib.db.prepare('SELECT state FROM jobs WHERE id = ?').get(job.id) as { state: string } | undefined;
      // A job deleted with its project has no row left; its ending is announced all the same.
      if (saved || job.error?.code !== 'NOT_FOUND') expect(saved?.state).toBe(job.state);
      events.push(`${String(job.params && (job.params as { name?: string }).name)} ${job.state}`);
    },
    onProgress: (job, progress: JobProgress) => {
      const saved = lib.db.prepare('SELECT progress FROM jobs WHERE id = ?').get(job.id) as { progress: string };
      expect(JSON.parse(saved.progress)).toEqual(progress);
      events.push(`${q.get(job.id).params && (q.get(job.id).params as { name: string }).name} progress ${progress.step}`);
    },
  });
  queues.push(q);
  return { q, events };
}

async function expectAppError(fn: () => unknown, code: string): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(code);
    return err as AppError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

/** A job in steps, each waiting for its own go-ahead from the test when `gated`. */
function stepRunner(steps: number, gates?: Map<number, Promise<void>>, ran?: number[]) {
  return async (ctx: JobContext) => {
    for (let s = 1; s <= steps; s++) {
      ctx.throwIfCancelled();
      ran?.push(s);
      await (gates?.get(s) ?? new Promise((r) => setImmediate(r)));
      ctx.progress({ fraction: s / steps, step: s, total: steps });
    }
    return { steps };
  };
}

describe('JobQueue', () => {
  it('moves a job through queued, running and succeeded, with progress events in order, each saved first', async () => {
    const { q, events } = makeQueue();
    q.register('stitch', stepRunner(3));
    q.start();
    const job = q.enqueue('stitch', { name: 'A' });
    expect(job.state).toBe('queued');
    const done = await q.waitFor(job.id);
    expect(events).toEqual(['A queued', 'A running', 'A progress 1', 'A progress 2', 'A progress 3', 'A succeeded']);
    expect(done).toMatchObject({ state: 'succeeded', result: { steps: 3 }, error: null, params: { name: 'A' } });
    expect(done.progress).toEqual({ fraction: 1, step: 3, total: 3 });
    expect(q.get(job.id)).toEqual(done);
    expect(q.list().map((j) => j.id)).toEqual([job.id]);
    expect(q.list({ states: ['queued'] })).toEqual([]);
  });

  it('cancels a queued job at once; it never runs', async () => {
    const { q, events } = makeQueue();
    const gate = deferred();
    const started: string[] = [];
    q.register('stitch', async (ctx: JobContext<{ name: string }>) => {
      started.push(ctx.params.name);
      await gate.promise;
      return null;
    });
    q.start();
    const a = q.enqueue('stitch', { name: 'A' });
    const b = q.enqueue('stitch', { name: 'B' });
    await vi.waitFor(() => expect(started).toEqual(['A']));
    const cancelled = q.cancel(b.id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.error).toEqual({ code: 'JOB_CANCELLED', message: 'Cancelled before it started.' });
    gate.resolve();
    expect((await q.waitFor(a.id)).state).toBe('succeeded');
    expect(started).toEqual(['A']);
    expect(q.get(b.id).state).toBe('cancelled');
    expect(events).toEqual(['A queued', 'B queued', 'A running', 'B cancelled', 'A succeeded']);
    // Cancelling a finished job changes nothing.
    expect(q.cancel(a.id).state).toBe('succeeded');
  });

  it('stops a running job at its next step, and saves no progress reported after the cancel', async () => {
    const { q, events } = makeQueue();
    const gates = new Map([1, 2, 3, 4, 5].map((s) => [s, deferred()] as const));
    const ran: number[] = [];
    q.register('stitch', stepRunner(5, new Map([...gates].map(([s, d]) => [s, d.promise])), ran));
    q.start();
    const job = q.enqueue('stitch', { name: 'A' });
    gates.get(1)!.resolve();
    gates.get(2)!.resolve();
    await vi.waitFor(() => expect(ran).toEqual([1, 2, 3]));
    await vi.waitFor(() => expect(q.get(job.id).progress?.step).toBe(2));
    expect(q.cancel(job.id).state).toBe('running'); // it ends at its next step, not now
    gates.get(3)!.resolve(); // step 3 finishes its work and reports progress after the cancel
    const done = await q.waitFor(job.id);
    expect(done.state).toBe('cancelled');
    expect(done.error).toEqual({ code: 'JOB_CANCELLED', message: 'The job was cancelled.' });
    expect(done.progress?.step).toBe(2);
    expect(ran).toEqual([1, 2, 3]); // step 4 never started
    expect(events).toEqual(['A queued', 'A running', 'A progress 1', 'A progress 2', 'A cancelled']);
  });

  it('fails a job with the code and message of its error, and goes on with the next', async () => {
    const { q } = makeQueue();
    q.register('render', async (ctx: JobContext<{ how: string }>) => {
      if (ctx.params.how === 'app') throw new AppError('MODEL_MISSING', 'No garment pack is installed.');
      if (ctx.params.how === 'plain') throw new TypeError('latents is undefined');
      if (ctx.params.how === 'string') throw 'out of thread';
      return { ok: 1n }; // a BigInt result cannot be saved as JSON
    });
    q.register('sync-throw', ((): Promise<unknown> => {
      throw new RangeError('seed out of range');
    }) as () => Promise<unknown>);
    q.register('bad-progress', async (ctx) => {
      ctx.progress({ fraction: 2 } as JobProgress);
      return null;
    });
    q.start();
    const ids = [
      q.enqueue('render', { how: 'app' }).id,
      q.enqueue('render', { how: 'plain' }).id,
      q.enqueue('render', { how: 'string' }).id,
      q.enqueue('render', { how: 'bigint' }).id,
      q.enqueue('sync-throw', {}).id,
      q.enqueue('bad-progress', {}).id,
    ];
    const done = await Promise.all(ids.map((id) => q.waitFor(id)));
    expect(done.map((j) => j.state)).toEqual(Array(6).fill('failed'));
    expect(done[0]!.error).toEqual({ code: 'MODEL_MISSING', message: 'No garment pack is installed.' });
    expect(done[1]!.error).toEqual({ code: 'INTERNAL', message: 'latents is undefined' });
    expect(done[2]!.error).toEqual({ code: 'INTERNAL', message: 'out of thread' });
    expect(done[3]!.error?.code).toBe('INTERNAL');
    expect(done[3]!.error?.message).toContain("result cannot be saved");
    expect(done[4]!.error).toEqual({ code: 'INTERNAL', message: 'seed out of range' });
    expect(done[5]!.error?.code).toBe('INVALID_INPUT');
    expect(done[5]!.error?.message).toContain('malformed progress');
    expect(done.every((j) => j.result === null)).toBe(true);
  });

  it('never runs more jobs at once than its concurrency, and starts them in the order queued', async () => {
    const { q } = makeQueue({ concurrency: 2 });
    const gates = new Map<string, ReturnType<typeof deferred<void>>>();
    const started: string[] = [];
    let inFlight = 0;
    let most = 0;
    q.register('render', async (ctx: JobContext<{ name: string }>) => {
      inFlight++;
      most = Math.max(most, inFlight);
      const saved = (lib.db.prepare(`SELECT count(*) AS n FROM jobs WHERE state = 'running'`).get() as { n: number }).n;
      expect(saved).toBeLessThanOrEqual(2);
      started.push(ctx.params.name);
      const gate = deferred();
      gates.set(ctx.params.name, gate);
      await gate.promise;
      inFlight--;
      return null;
    });
    q.start();
    const names = ['A', 'B', 'C', 'D', 'E', 'F'];
    const ids = names.map((name) => q.enqueue('render', { name }).id);
    await vi.waitFor(() => expect(started).toEqual(['A', 'B']));
    for (const name of ['B', 'A', 'C', 'D', 'E', 'F']) {
      await vi.waitFor(() => expect(gates.has(name)).toBe(true));
      gates.get(name)!.resolve();
    }
    const done = await Promise.all(ids.map((id) => q.waitFor(id)));
    expect(done.every((j) => j.state === 'succeeded')).toBe(true);
    expect(most).toBe(2);
    expect(started).toEqual(names);
    expect(() => new JobQueue(lib.db, { concurrency: 0 })).toThrow(/at least 1/);
  });

  it('refuses an unknown kind, a duplicate kind and an unknown project, saving nothing', async () => {
    const { q } = makeQueue();
    q.register('render', async () => null);
    const unknown = await expectAppError(() => q.enqueue('embroider', {}), 'BAD_REQUEST');
    expect(unknown.message).toBe('No job kind "embroider" is registered (registered: render).');
    await expectAppError(() => q.register('render', async () => null), 'CONFLICT');
    await expectAppError(() => q.enqueue('render', {}, { projectId: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND');
    await expectAppError(() => q.get('00000000-0000-4000-8000-000000000000'), 'NOT_FOUND');
    expect(q.list()).toEqual([]);
  });

  it('on stop, marks the running job interrupted with its progress and leaves queued ones for the next start', async () => {
    const first = makeQueue();
    const hold = deferred();
    first.q.register('stitch', async (ctx) => {
      ctx.progress({ fraction: 0.5, step: 1, total: 2 });
      await hold.promise;
      ctx.throwIfCancelled();
      return null;
    });
    first.q.start();
    const a = first.q.enqueue('stitch', { name: 'A' });
    const b = first.q.enqueue('stitch', { name: 'B' });
    await vi.waitFor(() => expect(first.q.get(a.id).progress?.step).toBe(1));
    const stopping = first.q.stop();
    hold.resolve();
    await stopping;
    expect(first.q.get(a.id)).toMatchObject({ state: 'interrupted', progress: { step: 1 }, error: { code: 'JOB_INTERRUPTED' } });
    expect(first.q.get(b.id).state).toBe('queued');

    const second = makeQueue();
    second.q.register('stitch', async () => 'done');
    second.q.start();
    expect(await second.q.waitFor(b.id)).toMatchObject({ state: 'succeeded', result: 'done' });
    expect(second.q.get(a.id).state).toBe('interrupted');
  });

  it('keeps jobs of an unregistered kind queued until their kind is registered', async () => {
    const first = makeQueue();
    first.q.register('motif.index', async () => null);
    const job = first.q.enqueue('motif.index', { name: 'M' });
    await first.q.stop(); // gives up its lease: the job is anyone's now
    const second = makeQueue();
    second.q.register('render', async () => null);
    second.q.start();
    const other = second.q.enqueue('render', { name: 'R' });
    await second.q.waitFor(other.id);
    expect(second.q.get(job.id).state).toBe('queued');
    second.q.register('motif.index', async () => 'indexed');
    expect(await second.q.waitFor(job.id)).toMatchObject({ state: 'succeeded', result: 'indexed' });
  });

  it("ends a running job whose project is deleted under it, and goes on with the next", async () => {
    const { q, events } = makeQueue();
    const project = lib.projects.create('Doomed');
    const step = deferred();
    q.register('render', async (ctx) => {
      await step.promise;
      ctx.progress({ fraction: 0.5 });
      ctx.throwIfCancelled();
      return 'rendered';
    });
    q.start();
    const doomed = q.enqueue('render', { name: 'D' }, { projectId: project.id });
    const next = q.enqueue('render', { name: 'N' });
    await vi.waitFor(() => expect(q.get(doomed.id).state).toBe('running'));
    lib.projects.delete(project.id);
    step.resolve();
    const ended = await q.waitFor(doomed.id);
    expect(ended.state).toBe('cancelled');
    expect(events).toContain('D cancelled');
    expect(ended.error?.code).toBe('NOT_FOUND');
    expect(await q.waitFor(next.id)).toMatchObject({ state: 'succeeded', result: 'rendered' });
  });

  it('keeps working when an event listener throws', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const q = new JobQueue(lib.db, {
        onState: () => {
          throw new Error('renderer went away');
        },
      });
      queues.push(q);
      q.register('render', async () => 'ok');
      q.start();
      const job = q.enqueue('render', {});
      expect(await q.waitFor(job.id)).toMatchObject({ state: 'succeeded', result: 'ok' });
      expect(errors).toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });
});
