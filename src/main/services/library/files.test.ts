import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract';
import { Library } from './index';
import { ownerTag } from './temp-owner';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

let dir: string;
let lib: Library;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-files-'));
  lib = Library.open(dir);
});
afterEach(() => {
  lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function appErrorOf(fn: () => unknown): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw new Error(`expected an AppError, got ${String(err)}`);
  }
  throw new Error('expected an AppError, nothing was thrown');
}

const filesOnDisk = (d: string) =>
  fs.readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));

describe('FileStore.put', () => {
  it('stores bytes under files/ab/<sha256> and records them', async () => {
    const bytes = Buffer.from('brocade swatch, 5cm x 5cm');
    const stored = await lib.files.put(bytes, 'image/PNG');
    expect(stored).toEqual({ sha256: sha256(bytes), size: bytes.length });
    const file = path.join(dir, 'files', stored.sha256.slice(0, 2), stored.sha256);
    expect(lib.files.path(stored.sha256)).toBe(file);
    expect(fs.readFileSync(file)).toEqual(bytes);
    expect(lib.files.get(stored.sha256)).toMatchObject({ sha256: stored.sha256, size: bytes.length, mime: 'image/png' });
    expect(lib.files.has(stored.sha256)).toBe(true);
    expect(lib.files.has(stored.sha256.toUpperCase())).toBe(true);
    expect(await lib.files.read(stored.sha256)).toEqual(bytes);
    expect(fs.readdirSync(lib.files.tmpDir)).toEqual([]);
  });

  it('stores a stream and a file path the same way, and the same content only once', async () => {
    const parts = Array.from({ length: 40 }, (_, i) => Buffer.alloc(16 * 1024 + i, i));
    const whole = Buffer.concat(parts);
    const fromStream = await lib.files.put(Readable.from(parts), 'image/jpeg');
    const source = path.join(os.tmpdir(), `jinxiu-import-${process.pid}.jpg`);
    fs.writeFileSync(source, whole);
    try {
      const fromPath = await lib.files.put(source, 'image/jpeg');
      const fromBytes = await lib.files.put(whole, 'image/jpeg');
      expect(fromStream).toEqual({ sha256: sha256(whole), size: whole.length });
      expect(fromPath).toEqual(fromStream);
      expect(fromBytes).toEqual(fromStream);
    } finally {
      fs.rmSync(source);
    }
    expect(filesOnDisk(lib.files.filesDir)).toHaveLength(1);
    expect(lib.info().files).toEqual({ count: 1, bytes: whole.length });
    expect(fs.readdirSync(lib.files.tmpDir)).toEqual([]);
  });

  it('stores an empty file', async () => {
    const stored = await lib.files.put(new Uint8Array(0), 'application/octet-stream');
    expect(stored).toEqual({ sha256: sha256(''), size: 0 });
    expect((await lib.files.read(stored.sha256)).length).toBe(0);
  });

  it('refuses a bad media type, a missing source file and an oversize file, leaving nothing behind', async () => {
    expect((await appErrorOf(() => lib.files.put(Buffer.from('x'), 'png'))).code).toBe('INVALID_INPUT');
    const missing = await appErrorOf(() => lib.files.put(path.join(dir, 'no-such.png'), 'image/png'));
    expect(missing.code).toBe('INVALID_INPUT');
    expect(missing.message).toContain('no-such.png');
    const small = Library.open(path.join(dir, 'small'), { files: { maxBytes: 1000 } });
    try {
      const tooBig = await appErrorOf(() => small.files.put(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), 'image/png'));
      expect(tooBig.code).toBe('INVALID_INPUT');
      expect(tooBig.message).toContain('1000 bytes');
      expect(filesOnDisk(small.files.filesDir)).toEqual([]);
      expect(fs.readdirSync(small.files.tmpDir)).toEqual([]);
      expect(small.info().files.count).toBe(0);
    } finally {
      small.close();
    }
    expect(filesOnDisk(lib.files.filesDir)).toEqual([]);
    expect(fs.readdirSync(lib.files.tmpDir)).toEqual([]);
    expect(lib.info().files.count).toBe(0);
  });

  it('leaves nothing when the source stream fails midway', async () => {
    async function* failing() {
      yield Buffer.alloc(1024, 1);
      throw new Error('camera disconnected');
    }
    const err = await appErrorOf(() => lib.files.put(failing(), 'image/png'));
    expect(err.message).toContain('camera disconnected');
    expect(filesOnDisk(lib.files.filesDir)).toEqual([]);
    expect(fs.readdirSync(lib.files.tmpDir)).toEqual([]);
  });

  it('sweeps temp files left by a crash, but not recent ones', () => {
    const old = path.join(lib.files.tmpDir, 'put-crashed');
    const recent = path.join(lib.files.tmpDir, 'put-in-progress');
    fs.writeFileSync(old, 'half');
    fs.writeFileSync(recent, 'half');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(old, twoHoursAgo, twoHoursAgo);
    Library.open(dir).close();
    expect(fs.readdirSync(lib.files.tmpDir)).toEqual(['put-in-progress']);
  });
});

describe('FileStore temp files at open', () => {
  /** A running Node process that only waits; killed by the test. */
  async function waiting(): Promise<{ pid: number; stop(): Promise<void> }> {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => child.once('spawn', resolve).once('error', reject));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return {
      pid: child.pid!,
      async stop() {
        child.kill('SIGKILL');
        await exited;
      },
    };
  }

  it("removes the puts of processes that are gone, however recent, and never a live process's", async () => {
    const live = await waiting();
    const gone = await waiting();
    const goneTag = ownerTag(gone.pid);
    await gone.stop();
    const liveTag = ownerTag(live.pid);
    const name = (tag: string) => `put-${tag}-0123456789abcdef`;
    const keep = [name(ownerTag()), name(liveTag), name(`deadbeef-${liveTag.split('-')[1]}-${gone.pid}-1`)];
    const drop = [name(goneTag)];
    // The live process's pid with another start time: a reused pid, not the process that wrote the file.
    if (process.platform === 'linux') drop.push(name(liveTag.replace(/-\d+$/, '-1')));
    try {
      for (const n of [...keep, ...drop]) fs.writeFileSync(path.join(lib.files.tmpDir, n), 'half a swatch');
      Library.open(dir).close();
      expect(fs.readdirSync(lib.files.tmpDir).sort()).toEqual([...keep].sort());
    } finally {
      await live.stop();
    }
  });

  it("names a put's temp file after its owner, so that a crash's leftover is found at once", async () => {
    const names: string[] = [];
    const watcher = fs.watch(lib.files.tmpDir, (_event, file) => file && names.push(String(file)));
    try {
      await lib.files.put(Readable.from([Buffer.alloc(64 * 1024, 1), Buffer.alloc(64 * 1024, 2)]), 'image/png');
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      watcher.close();
    }
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n.startsWith(`put-${ownerTag()}-`)).toBe(true);
  });
});

describe('FileStore.staged', () => {
  const rows = () => (lib.db.prepare('SELECT sha256 FROM files ORDER BY sha256').pluck().all() as string[]);
  const onDisk = () => filesOnDisk(lib.files.filesDir).map((f) => path.basename(f)).sort();

  it('keeps what a successful import stored', async () => {
    const stored = await lib.files.staged(async (files) => files.put(Buffer.from('silk'), 'image/png'));
    expect(rows()).toEqual([stored.sha256]);
    expect(onDisk()).toEqual([stored.sha256]);
  });

  it('takes out what a failed import stored first, and keeps what was there before or is shared meanwhile', async () => {
    const before = await lib.files.put(Buffer.from('stored before'), 'image/png');
    const sharedBytes = Buffer.from('put by another import meanwhile');
    let shared = '';
    const failure = await appErrorOf(() =>
      lib.files.staged(async (files) => {
        await files.put(Buffer.from('stored before'), 'image/png');
        await files.put(Buffer.from('photo of the failed import'), 'image/jpeg');
        await files.put(Buffer.from('photo of the failed import'), 'image/jpeg');
        shared = (await files.put(sharedBytes, 'image/png')).sha256;
        await lib.files.put(sharedBytes, 'image/png');
        throw new AppError('INVALID_INPUT', 'The tile could not be made.');
      }),
    );
    expect(failure.message).toBe('The tile could not be made.');
    expect(rows()).toEqual([before.sha256, shared].sort());
    expect(onDisk()).toEqual([before.sha256, shared].sort());
    expect(fs.readdirSync(lib.files.tmpDir)).toEqual([]);
  });

  it('keeps a file that a row references by the time the import fails', async () => {
    let used = '';
    await expect(
      lib.files.staged(async (files) => {
        used = (await files.put(Buffer.from('a tile another process filed'), 'image/png')).sha256;
        lib.db
          .prepare("INSERT INTO swatches (id, name, tile_sha256, created_at, updated_at) VALUES ('s1', 'indigo', ?, 'now', 'now')")
          .run(used);
        throw new Error('the preview could not be encoded');
      }),
    ).rejects.toThrow('the preview could not be encoded');
    expect(rows()).toEqual([used]);
    expect(onDisk()).toEqual([used]);
  });
});

describe('FileStore lookups', () => {
  it('answers NOT_FOUND for an unknown hash and refuses anything that is not a hash', async () => {
    const unknown = 'e'.repeat(64);
    expect(lib.files.has(unknown)).toBe(false);
    expect((await appErrorOf(() => lib.files.get(unknown))).code).toBe('NOT_FOUND');
    expect((await appErrorOf(() => lib.files.path(unknown))).code).toBe('NOT_FOUND');
    expect((await appErrorOf(() => lib.files.has('../../etc/passwd'))).code).toBe('PATH_OUTSIDE_LIBRARY');
    expect((await appErrorOf(() => lib.files.read(`../${'a'.repeat(61)}`))).code).toBe('PATH_OUTSIDE_LIBRARY');
    expect((await appErrorOf(() => lib.files.get('abc'))).code).toBe('INVALID_INPUT');
  });

  it('detects a stored file whose bytes were damaged or removed', async () => {
    const stored = await lib.files.put(Buffer.from('original weave'), 'image/png');
    fs.writeFileSync(lib.files.path(stored.sha256), 'altered weave!');
    const damaged = await appErrorOf(() => lib.files.read(stored.sha256));
    expect(damaged.code).toBe('LIBRARY_CORRUPT');
    expect(damaged.message).toContain('damaged');
    fs.rmSync(lib.files.path(stored.sha256));
    expect(lib.files.has(stored.sha256)).toBe(false);
    expect((await appErrorOf(() => lib.files.path(stored.sha256))).code).toBe('LIBRARY_CORRUPT');
  });

  it('resolves paths inside the library and refuses those outside, symbolic links included', async () => {
    const stored = await lib.files.put(Buffer.from('motif'), 'image/png');
    const rel = path.join('files', stored.sha256.slice(0, 2), stored.sha256);
    expect(lib.files.resolveInside(rel)).toBe(fs.realpathSync(path.join(dir, rel)));
    expect(lib.files.resolveInside(path.join(dir, rel))).toBe(fs.realpathSync(path.join(dir, rel)));
    expect((await appErrorOf(() => lib.files.resolveInside('../outside.png'))).code).toBe('PATH_OUTSIDE_LIBRARY');
    expect((await appErrorOf(() => lib.files.resolveInside('/etc/passwd'))).code).toBe('PATH_OUTSIDE_LIBRARY');
    expect((await appErrorOf(() => lib.files.resolveInside('files/../../x'))).code).toBe('PATH_OUTSIDE_LIBRARY');
    expect((await appErrorOf(() => lib.files.resolveInside('files/none.png'))).code).toBe('NOT_FOUND');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
      fs.symlinkSync(outside, path.join(dir, 'files', 'escape'));
      const err = await appErrorOf(() => lib.files.resolveInside('files/escape/secret.txt'));
      expect(err.code).toBe('PATH_OUTSIDE_LIBRARY');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});

/**
 * A real full disk: the fixture runs in a private mount namespace (unshare) where the library folder
 * is a 1 MiB tmpfs. Where user namespaces or tmpfs mounts are not allowed (macOS, Windows, locked-down
 * CI) the test is skipped, since a full disk cannot be made there without privileges.
 */
const fullDisk = (() => {
  if (process.platform !== 'linux') return null;
  const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-probe-'));
  const probe = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs "$1"', 'sh', probeDir], { encoding: 'utf8' });
  fs.rmSync(probeDir, { recursive: true, force: true });
  return probe.status === 0 ? 'unshare' : null;
})();

describe('FileStore on a full disk', () => {
  it.skipIf(!fullDisk)('answers DISK_FULL and leaves nothing half-written, then stores again once there is room', () => {
    const mountDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-full-'));
    try {
      const script = path.join(here, 'test-fixtures', 'full-disk.ts');
      const run = spawnSync(
        'unshare',
        ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs "$1" && exec "$2" --import tsx "$3" "$1"', 'sh', mountDir, process.execPath, script],
        { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 },
      );
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const report = JSON.parse(run.stdout.trim()) as {
        fromBytes: { code: string; message: string };
        fromStream: { code: string; message: string };
        after: { tmp: string[]; files: string[]; rows: number };
        small: { sha256: string; size: number };
        smallRead: string;
      };
      expect(report.fromBytes.code).toBe('DISK_FULL');
      expect(report.fromBytes.message).toContain('full');
      expect(report.fromStream.code).toBe('DISK_FULL');
      expect(report.after).toEqual({ tmp: [], files: [], rows: 0 });
      expect(report.small).toEqual({ sha256: sha256('a small swatch'), size: 14 });
      expect(report.smallRead).toBe('a small swatch');
    } finally {
      fs.rmSync(mountDir, { recursive: true, force: true });
    }
  });
});
