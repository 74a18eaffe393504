import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tinyDisk } from '../../outputs/test-fixtures/tiny-disk';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'assemble-on-full-disk.ts');

describe('a full disk while assembling', () => {
  it.skipIf(!tinyDisk)('is DISK_FULL with a plain message, and leaves no partial data file', () => {
    // 2 MB of float32 onto a 256 KB tmpfs.
    const run = tinyDisk!.run(SCRIPT, '256k');
    expect(run.status, run.stderr).toBe(0);
    const { error, left } = JSON.parse(run.stdout.trim()) as { error: { code: string; message: string } | null; left: string[] };
    expect(error?.code).toBe('DISK_FULL');
    expect(error?.message).toBe('The disk is full: big.onnx.data could not be written, and nothing was kept.');
    expect(left).toEqual([]);
  });
});
