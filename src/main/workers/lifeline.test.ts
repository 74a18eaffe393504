import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const PARENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'worker-parent.ts');

/**
 * Whether `pid` still runs. An orphan that died waits as a zombie until init reaps it, and
 * kill(pid, 0) succeeds on a zombie, so on Linux its state letter is read instead.
 */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && fs.existsSync('/proc/self/stat')) return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The worker pid the parent prints once its worker is inside the long run. */
function busyWorkerPid(parent: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    parent.stdout!.setEncoding('utf8');
    parent.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const found = /busy (\d+)/.exec(out);
      if (found) resolve(Number(found[1]));
    });
    parent.once('exit', (code) => reject(new Error(`the parent exited (${code}) before its worker was busy: ${out}`)));
  });
}

let strays: number[] = [];
afterEach(() => {
  for (const pid of strays) if (running(pid)) process.kill(pid, 'SIGKILL');
  strays = [];
});

describe('the inference worker and its parent', () => {
  it('ends within a second of its parent being SIGKILLed, even inside a long native session run', async () => {
    // The real worker, started by a real parent through forkLauncher, on a run of the slow model
    // that takes several seconds: 'disconnect' alone would wait for that run to finish.
    const parent = spawn(process.execPath, ['--import', 'tsx', PARENT, '4096'], { stdio: ['ignore', 'pipe', 'inherit'] });
    strays.push(parent.pid!);
    const worker = await busyWorkerPid(parent);
    strays.push(worker);
    await new Promise((r) => setTimeout(r, 500));
    expect(running(worker)).toBe(true);

    const killedAt = performance.now();
    parent.kill('SIGKILL');
    while (running(worker) && performance.now() - killedAt < 5_000) await new Promise((r) => setTimeout(r, 10));
    const lived = performance.now() - killedAt;
    expect(running(worker)).toBe(false);
    expect(lived).toBeLessThan(1_000);
  }, 60_000);
});
