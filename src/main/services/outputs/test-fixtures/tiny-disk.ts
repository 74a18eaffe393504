import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

/**
 * A real full disk for tests: a script runs in a private mount namespace (unshare) where a folder is
 * a tmpfs of the given size. Null where user namespaces or tmpfs mounts are not allowed (macOS,
 * Windows, locked-down CI), since a full disk cannot be made there without privileges.
 */
export const tinyDisk: { run(script: string, size: string, ...args: string[]): SpawnSyncReturns<string> } | null = (() => {
  if (process.platform !== 'linux') return null;
  const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-probe-'));
  const probe = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs "$1"', 'sh', probeDir], { encoding: 'utf8' });
  fs.rmSync(probeDir, { recursive: true, force: true });
  if (probe.status !== 0) return null;
  return {
    run(script: string, size: string, ...args: string[]) {
      const mountDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-tiny-disk-'));
      try {
        return spawnSync(
          'unshare',
          ['-rm', 'sh', '-c', 'mount -t tmpfs -o "size=$1" tmpfs "$2" && shift 2 && exec "$@"', 'sh', size, mountDir, process.execPath, '--import', 'tsx', script, mountDir, ...args],
          { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 },
        );
      } finally {
        fs.rmSync(mountDir, { recursive: true, force: true });
      }
    },
  };
})();
