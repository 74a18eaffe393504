import { describe, expect, it } from 'vitest';
import { defineTask } from './protocol';
import { PROBE_MODEL_PATH } from './providers';
import { WorkerRuntime } from './runtime';
import type { TaskHandler } from './task';

// The worker's task machinery in this process, with real onnxruntime sessions on the probe model
// (a + b): a task of N steps, each one session run, adding one to a running sum.
const COUNT = defineTask<{ steps: number }, { step: number }, { sum: number[] }>('test.count');
const counter: TaskHandler<{ steps: number }, { step: number }, { sum: number[] }> = {
  kind: COUNT,
  async run(params, context) {
    let sum: Float32Array = new Float32Array(4);
    for (let k = 1; k <= params.steps; k++) {
      context.throwIfCancelled();
      const { outputs } = await context.run('add', {
        a: { type: 'float32', dims: [4], data: sum },
        b: { type: 'float32', dims: [4], data: Float32Array.from([1, 2, 3, 4]) },
      });
      sum = outputs.sum!.data as Float32Array;
      context.progress({ step: k });
    }
    return { sum: Array.from(sum) };
  },
};

async function runtimeWithAdd(): Promise<WorkerRuntime> {
  const runtime = new WorkerRuntime([counter]);
  await runtime.handle({ id: 1, kind: 'load', sessionId: 'add', model: { path: PROBE_MODEL_PATH }, options: { executionProviders: ['cpu'] } });
  return runtime;
}

describe('worker tasks', () => {
  it('runs a task over loaded sessions, reports progress and sums the session.run times', async () => {
    const runtime = await runtimeWithAdd();
    const progress: unknown[] = [];
    const outcome = await runtime.handle({ id: 2, kind: 'task', task: 'test.count', sessions: ['add'], params: { steps: 3 } }, (id, p) => progress.push([id, p]));
    expect(outcome).toMatchObject({ result: { sum: [3, 6, 9, 12] }, runs: 3 });
    expect(progress).toEqual([
      [2, { step: 1 }],
      [2, { step: 2 }],
      [2, { step: 3 }],
    ]);
  });

  it('stops a cancelled task at its next check and ignores cancels for tasks that are not running', async () => {
    const runtime = await runtimeWithAdd();
    runtime.cancel(99);
    const steps: number[] = [];
    const run = runtime.handle({ id: 7, kind: 'task', task: 'test.count', sessions: ['add'], params: { steps: 100 } }, (_id, p) => {
      const { step } = p as { step: number };
      steps.push(step);
      if (step === 2) runtime.cancel(7);
    });
    await expect(run).rejects.toMatchObject({ code: 'JOB_CANCELLED', message: 'The task "test.count" was cancelled.' });
    expect(steps).toEqual([1, 2]);
  });

  it('refuses an unknown task and a task whose session is not loaded', async () => {
    const runtime = await runtimeWithAdd();
    await expect(runtime.handle({ id: 3, kind: 'task', task: 'nope', sessions: [], params: {} })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'The inference worker has no task "nope"; it knows test.count.' });
    await expect(runtime.handle({ id: 4, kind: 'task', task: 'test.count', sessions: ['gone'], params: { steps: 1 } })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No inference session "gone" is loaded in the worker.' });
  });
});
