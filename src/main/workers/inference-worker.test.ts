import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError, contract } from '../../shared/contract';
import { createDispatcher } from '../host/dispatch';
import { createHandlers } from '../host/handlers';
import { JobQueue } from '../services/jobs';
import { Library } from '../services/library';
import { Studio } from '../studio';
import { referenceRow, SLOW_MODEL_PATH, slowFeeds, slowInputs, WIDTH } from './fixtures/slow-model';
import { InferenceWorker } from './inference-client';
import { forkLauncher } from './port';
import { PROBE_MODEL_PATH } from './providers';

// Real worker processes (child_process.fork of inference-worker.ts through tsx) running real
// onnxruntime sessions on the committed fixture models. One intra-op thread: this machine has two
// cores, and the property under test is that the main loop stays free, not how fast the worker is.
const SESSION = { executionProviders: ['cpu' as const], intraOpNumThreads: 1 };

let tmp: string;
const workers: InferenceWorker[] = [];
function newWorker(): InferenceWorker {
  const worker = new InferenceWorker({ launch: forkLauncher() });
  workers.push(worker);
  return worker;
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-worker-'));
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.shutdown()));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the promise to reject');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('InferenceWorker', () => {
  it('runs the slow model in the worker and gets the numbers a JS reference computes', async () => {
    const worker = newWorker();
    const info = await worker.loadSession('slow', SLOW_MODEL_PATH, SESSION);
    expect(info.provider).toBe('cpu');
    expect(info.inputs.map((i) => [i.name, i.type, i.shape])).toEqual([
      ['x', 'float32', ['n', WIDTH]],
      ['w', 'float32', [WIDTH, WIDTH]],
    ]);
    const rows = 64;
    const { x, w } = slowInputs(rows);
    const { outputs } = await worker.run('slow', {
      x: { type: 'float32', dims: [rows, WIDTH], data: x },
      w: { type: 'float32', dims: [WIDTH, WIDTH], data: w },
    });
    const y = outputs.y!;
    expect(y.type).toBe('float32');
    expect(y.dims).toEqual([rows, WIDTH]);
    const data = y.data as Float32Array;
    for (const row of [0, 17, rows - 1]) {
      const ref = referenceRow(x, w, row);
      let worst = 0;
      for (let j = 0; j < WIDTH; j++) worst = Math.max(worst, Math.abs((data[row * WIDTH + j] ?? NaN) - (ref[j] ?? NaN)));
      expect(worst).toBeLessThan(1e-4);
    }
    // The output is not degenerate (all zeros or saturated), so the comparison above means something.
    const spread = Math.sqrt(data.reduce((s, v) => s + v * v, 0) / data.length);
    expect(spread).toBeGreaterThan(0.2);
    expect(spread).toBeLessThan(0.95);
  });

  it('keeps the main event loop free while the worker runs the slow model', async () => {
    // How late the pings come is a figure for `npm run bench:worker-loop`; the property here is that
    // they are answered at all while inference runs, which a loop blocked by a session run cannot do.
    const studio = Studio.open({ libraryDir: path.join(tmp, 'loop-lib') });
    const dispatch = createDispatcher(contract, createHandlers(studio));
    const worker = newWorker();
    try {
      await worker.loadSession('slow', SLOW_MODEL_PATH, SESSION);
      const feeds = slowFeeds(512);

      const runs = 4;
      const answeredDuring = new Array<number>(runs).fill(0);
      let running: number | null = null;
      let pinging = true;
      // A real request through the dispatcher every 10 ms, counted against the run in flight when it is answered.
      const pinger = (async () => {
        while (pinging) {
          await new Promise((r) => setTimeout(r, 10));
          const answer = await dispatch('system.ping', {});
          expect(answer.ok).toBe(true);
          if (running !== null) answeredDuring[running]!++;
        }
      })();
      for (let i = 0; i < runs; i++) {
        running = i;
        const { outputs } = await worker.run('slow', feeds);
        running = null;
        expect(outputs.y?.dims).toEqual([512, WIDTH]);
      }
      pinging = false;
      await pinger;

      expect(answeredDuring.every((n) => n > 0), `pings answered during each run: ${answeredDuring.join(', ')}`).toBe(true);
    } finally {
      await studio.close();
    }
  });

  it('fails every request in flight with WORKER_CRASHED when the worker is SIGKILLed, then restarts', async () => {
    const worker = newWorker();
    await worker.loadSession('slow', SLOW_MODEL_PATH, SESSION);
    const first = await worker.ping();
    const running = worker.run('slow', slowFeeds(1024));
    const queued = worker.run('slow', slowFeeds(8));
    // Let the worker receive the big request and start on it (one run takes most of a second).
    await new Promise((r) => setTimeout(r, 300));
    process.kill(first.pid, 'SIGKILL');

    const [a, b] = await Promise.all([rejection(running), rejection(queued)]);
    for (const err of [a, b]) {
      expect(err.code).toBe('WORKER_CRASHED');
      expect(err.message).toContain('The inference worker stopped (signal SIGKILL) while running session "slow" (and 1 more request)');
    }
    expect(isAlive(first.pid)).toBe(false);

    // The next request starts a fresh worker, which reloads the session from what loadSession got.
    const rows = 8;
    const { x, w } = slowInputs(rows, 11);
    const { outputs } = await worker.run('slow', {
      x: { type: 'float32', dims: [rows, WIDTH], data: x },
      w: { type: 'float32', dims: [WIDTH, WIDTH], data: w },
    });
    const ref = referenceRow(x, w, 3);
    expect(Math.abs((outputs.y!.data as Float32Array)[3 * WIDTH + 5]! - ref[5]!)).toBeLessThan(1e-4);
    const second = await worker.ping();
    expect(second.pid).not.toBe(first.pid);
    expect(second.sessions).toEqual(['slow']);
    expect(worker.restartCount).toBe(1);
  });

  it('fails a job that uses the worker with the crash message', async () => {
    const library = Library.open(path.join(tmp, 'job-lib'));
    const jobs = new JobQueue(library.db);
    const worker = newWorker();
    try {
      await worker.loadSession('slow', SLOW_MODEL_PATH, SESSION);
      const { pid } = await worker.ping();
      let started!: () => void;
      const inRun = new Promise<void>((r) => (started = r));
      jobs.register('render.test', async () => {
        const run = worker.run('slow', slowFeeds(1024));
        started();
        await run;
        return { done: true };
      });
      jobs.start();
      const job = jobs.enqueue('render.test', {});
      await inRun;
      await new Promise((r) => setTimeout(r, 200));
      process.kill(pid, 'SIGKILL');
      const finished = await jobs.waitFor(job.id);
      expect(finished.state).toBe('failed');
      expect(finished.error?.code).toBe('WORKER_CRASHED');
      expect(finished.error?.message).toMatch(/^The inference worker stopped \(signal SIGKILL\) while running session "slow"/);
      // Read back from SQLite: the failure is persisted, not just announced.
      expect(jobs.get(job.id).error?.code).toBe('WORKER_CRASHED');
    } finally {
      await jobs.stop();
      library.close();
    }
  });

  it('stops and replaces a worker that overruns a timeout', async () => {
    const worker = newWorker();
    await worker.loadSession('slow', SLOW_MODEL_PATH, SESSION);
    const { pid } = await worker.ping();
    const err = await rejection(worker.run('slow', slowFeeds(1024), { timeoutMs: 100 }));
    expect(err.code).toBe('WORKER_CRASHED');
    expect(err.message).toBe(
      'The inference worker did not finish running session "slow" within 0.1 s; it was stopped and restarts for the next request.',
    );
    const after = await worker.ping();
    expect(after.pid).not.toBe(pid);
  });

  it('stops waiting for a cancelled run, drops its late answer and keeps the worker', async () => {
    const worker = newWorker();
    await worker.loadSession('slow', SLOW_MODEL_PATH, SESSION);
    const { pid } = await worker.ping();
    const controller = new AbortController();
    const running = worker.run('slow', slowFeeds(512), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = await rejection(running);
    expect(err.code).toBe('JOB_CANCELLED');
    expect(err.message).toBe('Cancelled while running session "slow".');
    // The same process answers next, once the abandoned run is done; nothing was restarted.
    const after = await worker.ping();
    expect(after.pid).toBe(pid);
    expect(worker.restartCount).toBe(0);
  });

  it('loads a model from bytes and says clearly what is wrong with bad feeds', async () => {
    const worker = newWorker();
    const info = await worker.loadSession('add', new Uint8Array(fs.readFileSync(PROBE_MODEL_PATH)), SESSION);
    expect(info.outputs.map((o) => o.name)).toEqual(['sum']);
    const a = Float32Array.from([1, 2, 3, 4]);
    const b = Float32Array.from([10, 20, 30, 40]);
    const { outputs } = await worker.run('add', {
      a: { type: 'float32', dims: [4], data: a },
      b: { type: 'float32', dims: [4], data: b },
    });
    expect(Array.from(outputs.sum!.data as Float32Array)).toEqual([11, 22, 33, 44]);

    const wrongName = await rejection(worker.run('add', { a: { type: 'float32', dims: [4], data: a }, c: { type: 'float32', dims: [4], data: b } }));
    expect(wrongName.code).toBe('INVALID_INPUT');
    expect(wrongName.message).toBe('Bad feeds for session "add": no input "c"; missing "b". Its inputs are a, b.');

    const wrongSize = await rejection(worker.run('add', { a: { type: 'float32', dims: [5], data: a }, b: { type: 'float32', dims: [4], data: b } }));
    expect(wrongSize.message).toBe('Input "a" has 4 values but dims [5] need 5.');

    const wrongType = await rejection(
      worker.run('add', { a: { type: 'int32', dims: [4], data: Int32Array.from([1, 2, 3, 4]) }, b: { type: 'float32', dims: [4], data: b } }),
    );
    expect(wrongType.code).toBe('INVALID_INPUT');
    expect(wrongType.message).toMatch(/^Session "add" could not run: .*type/i);

    const unknown = await rejection(worker.run('nope', {}));
    expect(unknown.code).toBe('NOT_FOUND');

    const badModel = path.join(tmp, 'not-a-model.onnx');
    fs.writeFileSync(badModel, 'this is not protobuf');
    const invalid = await rejection(worker.loadSession('bad', badModel, SESSION));
    expect(invalid.code).toBe('MODEL_INVALID');
    expect(invalid.message).toContain(badModel);

    // None of this disturbed the worker or the session that works.
    expect((await worker.ping()).sessions).toEqual(['add']);
    expect(worker.restartCount).toBe(0);
    expect(await worker.release('add')).toEqual({ released: true });
    expect((await worker.ping()).sessions).toEqual([]);
  });

  it('falls back to CPU when the requested provider cannot start, and says why', async () => {
    const worker = newWorker();
    // CUDA cannot load here: this build has no CUDA provider library (its download is skipped).
    const info = await worker.loadSession('add', PROBE_MODEL_PATH, { executionProviders: ['cuda'] });
    expect(info.provider).toBe('cpu');
    expect(info.fallbackReason).toMatch(/^cuda: /);
  });

  it('fails requests in flight on shutdown and refuses later ones', async () => {
    const worker = newWorker();
    await worker.loadSession('slow', SLOW_MODEL_PATH, SESSION);
    const { pid } = await worker.ping();
    const running = worker.run('slow', slowFeeds(1024));
    await new Promise((r) => setTimeout(r, 100));
    await worker.shutdown();
    const err = await rejection(running);
    expect(err.code).toBe('JOB_CANCELLED');
    expect(err.message).toMatch(/^The inference worker was shut down \(signal SIG(TERM|KILL)\) while running session "slow"\.$/);
    expect(isAlive(pid)).toBe(false);
    await expect(worker.ping()).rejects.toThrow('The inference worker has been shut down.');
  });
});
