import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../../package.json';
import { LATEST_SCHEMA_VERSION, Library } from '../services/library';
import { onnxruntimeVersion, readProviderChoice } from '../workers';
import type { DoctorReport } from '../services/doctor';

// The real CLI (bin/jinxiu.js under plain Node), started from a folder outside the repo, on real
// library folders; the probe inside it forks real throwaway workers.
const BIN = path.resolve('bin/jinxiu.js');
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-doctor-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function jinxiu(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: tmp, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('jinxiu doctor', () => {
  it('reports versions, providers and a healthy library as JSON, and stores the provider choice', async () => {
    const lib = path.join(tmp, 'healthy');
    const { code, stdout, stderr } = await jinxiu(['--library', lib, 'doctor', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as DoctorReport;
    expect(report.healthy).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.app).toBe(pkg.version);
    expect(report.node).toBe(process.versions.node);
    expect(report.electron).toBeNull();
    expect(report.onnxruntime).toBe(onnxruntimeVersion());
    expect(report.platform).toBe(`${process.platform}-${process.arch}`);
    if ('error' in report.providers) throw new Error(report.providers.error.message);
    expect(report.providers.providers.find((p) => p.provider === 'cpu')?.status).toBe('available');
    expect(report.library.ok).toBe(true);
    expect(report.library.info?.path).toBe(lib);
    expect(report.library.info?.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(report.library.info?.integrity).toBe('ok');

    const library = Library.open(lib);
    try {
      expect(readProviderChoice(library.db)).toEqual(report.providers);
    } finally {
      library.close();
    }
  });

  it('prints a readable report', async () => {
    const { code, stdout } = await jinxiu(['--library', path.join(tmp, 'text'), 'doctor']);
    expect(code).toBe(0);
    expect(stdout).toContain(`app          Jinxiu Studio ${pkg.version}`);
    expect(stdout).toContain('electron     not running in Electron');
    expect(stdout).toContain(`onnxruntime  onnxruntime-node ${onnxruntimeVersion()}`);
    expect(stdout).toMatch(/providers {4}chosen: (cuda|dml|coreml|webgpu|cpu) \(probed /);
    expect(stdout).toMatch(/\n {2}cpu {6}available/);
    expect(stdout).toContain('  integrity  ok');
    expect(stdout.trimEnd().endsWith('healthy')).toBe(true);
  });

  it('exits non-zero on a library that is not a database, and leaves the file as it was', async () => {
    const lib = path.join(tmp, 'corrupt');
    fs.mkdirSync(lib);
    const file = path.join(lib, 'library.sqlite');
    const junk = Buffer.from('this is not an SQLite database, it is a tech pack someone renamed');
    fs.writeFileSync(file, junk);
    const { code, stdout, stderr } = await jinxiu(['--library', lib, 'doctor', '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as DoctorReport;
    expect(report.healthy).toBe(false);
    expect(report.library.ok).toBe(false);
    expect(report.library.error?.code).toBe('LIBRARY_CORRUPT');
    // The wording is the library's own; doctor passes it on with the file it is about.
    expect(report.problems[0]).toMatch(/^library: .*corrupt[/\\]library\.sqlite/);
    // The probe still ran: doctor says what works even when the library does not.
    expect('chosen' in report.providers).toBe(true);
    // Asked for JSON, the failure comes as one JSON line too.
    expect(JSON.parse(stderr)).toEqual({ ok: false, error: { code: 'LIBRARY_CORRUPT', message: `doctor found problems: ${report.problems.join('; ')}` } });
    expect(stderr.split('\n')).toHaveLength(2);
    expect(fs.readFileSync(file)).toEqual(junk);
  });
});
