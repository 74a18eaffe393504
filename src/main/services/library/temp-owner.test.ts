import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { processExists } from './index';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');

describe('processExists', () => {
  it('sees this process and a running child, and not the child once it has exited', async () => {
    expect(processExists(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => child.once('spawn', resolve).once('error', reject));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    expect(processExists(child.pid!)).toBe(true);
    child.kill('SIGKILL');
    await exited;
    expect(processExists(child.pid!)).toBe(false);
  });

  it('takes no process-group or broadcast pid (0, -1) for a live process', () => {
    for (const pid of [0, -1, -process.pid, 1.5, Number.NaN, Number.MAX_VALUE]) expect(processExists(pid), String(pid)).toBe(false);
  });

  it("sees another user's process (EPERM) as existing", () => {
    // pid 1 belongs to root: a non-root test process gets EPERM itself; as root, ask as nobody.
    if (process.getuid?.() !== 0) {
      expect(processExists(1)).toBe(true);
      return;
    }
    const probe = `import { processExists } from './src/main/services/library/temp-owner.ts'; process.stdout.write(String(processExists(1)));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], {
      cwd: repoRoot,
      uid: 65534,
      gid: 65534,
      env: { ...process.env, HOME: '/tmp' },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('true');
  });
});
