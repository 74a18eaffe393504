import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../shared/contract';
import { Library } from '../library';
import { JobQueue, type JobContext } from './index';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');
const worker = path.join(here, 'test-fixtures', 'stitch-worker.ts');

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the worker until it reports the given progress line, then kills it with SIGKILL. */
function runUntil(libraryDir: string, killAfter: (line: string, lines: string[]) => boolean): Promise<{ lines: string[]; signal: string | null; stderr: string; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, libraryDir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (killAfter(line, lines)) child.kill('SIGKILL');
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ lines, signal, stderr, pid: child.pid! }));
  });
}

describe('JobQueue restart', () => {
  it('after a SIGKILL mid-job, marks that job interrupted with its last progress and runs the queued ones', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-restart-'));
    let hungId = '';
    const run = await runUntil(dir, (line) => {
      if (line.startsWith('queued ')) hungId = line.split(' ')[1]!;
      return line === `progress ${hungId} 3`;
    });
    expect(run.stderr).toBe('');
    expect(run.signal).toBe('SIGKILL');
    const [, , ...queuedIds] = run.lines[0]!.split(' ');
    expect(queuedIds).toHaveLength(2);
    expect(run.lines.slice(1)).toEqual([1, 2, 3].map((s) => `progress ${hungId} ${s}`));

    const lib = Library.open(dir);
    try {
      const before = lib.db.prepare('SELECT id, state FROM jobs ORDER BY rowid').all();
      expect(before).toEqual([
        { id: hungId, state: 'running' },
        { id: queuedIds[0], state: 'queued' },
        { id: queuedIds[1], state: 'queued' },
      ]);

      const states: string[] = [];
      const queue = new JobQueue(lib.db, { onState: (job: Job) => states.push(`${job.id} ${job.state}`) });
      queue.register('stitch', async (ctx: JobContext<{ steps: number }>) => {
        for (let step = 1; step <= ctx.params.steps; step++) {
          ctx.throwIfCancelled();
          ctx.progress({ fraction: step / ctx.params.steps, step, total: ctx.params.steps });
        }
        return { seams: ctx.params.steps };
      });
      queue.start();
      const hung = queue.get(hungId);
      expect(hung.state).toBe('interrupted');
      expect(hung.progress).toEqual({ fraction: 3 / 5, step: 3, total: 5, message: 'seam 3' });
      expect(hung.error).toEqual({ code: 'JOB_INTERRUPTED', message: `The process running this job (pid ${run.pid}) ended before the job finished.` });
      const done = await Promise.all(queuedIds.map((id) => queue.waitFor(id)));
      expect(done.map((j) => [j.state, j.result])).toEqual([
        ['succeeded', { seams: 2 }],
        ['succeeded', { seams: 4 }],
      ]);
      expect(states).toEqual([
        `${hungId} interrupted`,
        `${queuedIds[0]} running`,
        `${queuedIds[0]} succeeded`,
        `${queuedIds[1]} running`,
        `${queuedIds[1]} succeeded`,
      ]);
      // Interrupted is final: a further restart leaves it as it is.
      await queue.stop();
      const again = new JobQueue(lib.db);
      again.start();
      expect(again.get(hungId)).toEqual(queue.get(hungId));
      await again.stop();
    } finally {
      lib.close();
    }
  });
});
