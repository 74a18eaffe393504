import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../shared/contract/errors';
import { forkLauncher, type WorkerLauncher, type WorkerMessage } from '../../workers';
import { GarmentGenerator, type GarmentRequest } from './generator';
import { Golden, maxAbsDiff } from './testing/golden';
import { goldenRequest, type GoldenCase } from './testing/golden-request';
import { packInWorker } from './testing/pack-in-worker';
import { TINY_PACK_DIR } from './testing/tiny-pack';

// The garment pipeline as one task in a real worker process: what crosses the process boundary,
// what a cancel does there, and what a killed worker does to a render.
const golden = new Golden<{ case: GoldenCase }>('garment_pipeline');

/** Every message the worker sent, seen at the port (the client drops progress after a cancel). */
const seen: WorkerMessage[] = [];
const recording: WorkerLauncher = () => {
  const port = forkLauncher()();
  port.onMessage((m) => seen.push(m));
  return port;
};

const { worker, pack } = packInWorker(TINY_PACK_DIR, recording);

/** The golden case, but its own seed's noise and four steps: these tests are about the worker, not parity. */
function request(overrides: Partial<GarmentRequest> = {}): GarmentRequest {
  return goldenRequest(golden, { seed: 5, steps: 4, noise: undefined, ...overrides });
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e as AppError,
  );
  if (!err) throw new Error('expected the promise to reject');
  return err;
}

describe('the garment pipeline as a worker task', () => {
  it('runs every graph inside the worker: one request, progress per step, the sum of session.run times back', async () => {
    const generator = new GarmentGenerator(pack());
    const before = seen.length;
    const steps: number[] = [];
    const { run, timings } = await generator.generateTimed(request({ batched: true }), { onStep: (s) => steps.push(s) });
    const messages = seen.slice(before);
    expect(steps).toEqual([1, 2, 3, 4]);
    // One answer for the whole render (no per-graph answers) and one progress message per step.
    expect(messages.filter((m) => m.kind === 'answer')).toHaveLength(1);
    expect(messages.filter((m) => m.kind === 'progress')).toHaveLength(4);
    // text x2 (prompt, negative; cached after the first render), sketch, projections, swatch,
    // fusion, label text, 4 batched UNet steps, one batched decode: every one counted in the worker.
    expect(timings.runs).toBeGreaterThanOrEqual(4 + 1 + 5);
    expect(timings.runMs).toBeGreaterThan(0);
    expect(timings.taskMs).toBeGreaterThanOrEqual(timings.runMs);
    expect(run.variants.map((v) => v.name)).toEqual(['imageBiased', 'textBiased']);
  });

  it('stops the loop in the worker on cancel: the task answers JOB_CANCELLED instead of finishing', async () => {
    const generator = new GarmentGenerator(pack());
    const controller = new AbortController();
    const before = seen.length;
    const steps: number[] = [];
    const err = await rejection(
      generator.generate(request({ steps: 200 }), {
        signal: controller.signal,
        onStep: (s) => {
          steps.push(s);
          if (s === 2) controller.abort();
        },
      }),
    );
    expect(err.code).toBe('JOB_CANCELLED');
    expect(steps).toEqual([1, 2]);
    // A ping queues behind the task, so once it answers the task's own answer has come too.
    await worker.ping();
    const messages = seen.slice(before);
    const answer = messages.find((m) => m.kind === 'answer' && !m.ok);
    expect(answer).toMatchObject({ ok: false, error: { code: 'JOB_CANCELLED' } });
    expect(messages.filter((m) => m.kind === 'progress').length).toBeLessThan(200);
  });

  it('fails a render with WORKER_CRASHED when the worker is killed mid-run, then renders again in a fresh one', async () => {
    const generator = new GarmentGenerator(pack());
    const reference = await generator.generate(request({ steps: 3 }));
    const { pid } = await worker.ping();
    const err = await rejection(
      generator.generate(request({ steps: 200 }), {
        onStep: (s) => {
          if (s === 1) process.kill(pid, 'SIGKILL');
        },
      }),
    );
    expect(err.code).toBe('WORKER_CRASHED');
    expect(err.message).toContain('The inference worker stopped (signal SIGKILL) while running the task "garment.generate"');
    // The sessions are loaded again in the new worker before the task is sent.
    const again = await generator.generate(request({ steps: 3 }));
    expect((await worker.ping()).pid).not.toBe(pid);
    expect(worker.restartCount).toBe(1);
    for (let i = 0; i < 2; i++) expect(maxAbsDiff(again.variants[i]!.image.data, reference.variants[i]!.image.data)).toBe(0);
  });

  it('names an unknown task and a swatch without a fabric before any step runs', async () => {
    const err = await rejection(worker.runTask({ task: 'motif.nothing' }, {}, { sessions: [] }));
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'The inference worker has no task "motif.nothing"; it knows garment.generate.' });
    const before = seen.length;
    await expect(new GarmentGenerator(pack()).generate(request({ fabricLabel: null, prompt: 'a jacket' }))).rejects.toThrow(/names no fabric/);
    expect(seen.length).toBe(before);
  });
});
