import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tinyDisk } from '../outputs/test-fixtures/tiny-disk';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('swatch import on a full disk', () => {
  it.skipIf(!tinyDisk)('answers DISK_FULL and leaves no stored file that nothing references', () => {
    const run = tinyDisk!.run(path.join(here, 'test-fixtures', 'full-disk-import.ts'), '8m');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout.trim()) as {
      error: { code: string; message: string } | null;
      after: { files: string[]; tmp: string[]; rows: Record<string, number> };
      stored: { files: number; rows: number; swatches: number; name: string };
    };
    expect(report.error?.code).toBe('DISK_FULL');
    expect(report.error?.message).toMatch(/^The disk holding the library .* is full; the file was not stored and nothing was left behind\.$/);
    // The photo was stored before the tile failed; it is gone again, bytes and record.
    expect(report.after).toEqual({ files: [], tmp: [], rows: { files: 0, swatches: 0, projectSwatches: 0 } });
    expect(report.stored).toEqual({ files: 3, rows: 3, swatches: 1, name: 'noisy-denim' });
  });
});
