/**
 * Child process for restart.test.ts: runs a job queue on a library, with one "stitch" job that
 * stops making progress at a given step (as if the device hung) and two queued behind it. It prints
 * each progress step after it is saved, so the test knows what the library must hold when it kills
 * the process.
 */
import { writeSync } from 'node:fs';
import { Library } from '../../library';
import { JobQueue, type JobContext } from '../index';

const dir = process.argv[2];
if (!dir) throw new Error('usage: stitch-worker.ts <library dir>');
const say = (line: string) => writeSync(1, `${line}\n`);

interface StitchParams {
  steps: number;
  hangAt?: number;
}

const lib = Library.open(dir);
const queue = new JobQueue(lib.db, { concurrency: 1 });
queue.register('stitch', async (ctx: JobContext<StitchParams>) => {
  for (let step = 1; step <= ctx.params.steps; step++) {
    ctx.throwIfCancelled();
    ctx.progress({ fraction: step / ctx.params.steps, step, total: ctx.params.steps, message: `seam ${step}` });
    say(`progress ${ctx.id} ${step}`);
    if (step === ctx.params.hangAt) await new Promise((resolve) => setTimeout(resolve, 2 ** 31 - 1));
  }
  return { seams: ctx.params.steps };
});
const hung = queue.enqueue('stitch', { steps: 5, hangAt: 3 });
const waiting = [queue.enqueue('stitch', { steps: 2 }), queue.enqueue('stitch', { steps: 4 })];
say(`queued ${hung.id} ${waiting.map((j) => j.id).join(' ')}`);
queue.start();
