import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../services/library';
import { Studio } from '../studio';
import { forkLauncher, type WorkerLauncher } from './port';
import { ensureProviderChoice, isStale, PROVIDERS_SETTING, providersFor, readProviderChoice, saveProviderChoice } from './provider-choice';
import { onnxruntimeVersion, PROBE_ORDER, probeProviders, type ProbeReport } from './providers';

// Real throwaway worker processes probing the real onnxruntime-node build on this machine. Which
// providers work differs from machine to machine (here: no CUDA library, no GPU adapter), so the
// assertions follow the rules (order, CPU always works, the first that works is chosen), not a list.

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-probe-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const quiet = forkLauncher({ quiet: true });

function expectWellFormed(report: ProbeReport) {
  expect(report.providers.map((p) => p.provider)).toEqual([...PROBE_ORDER]);
  const cpu = report.providers.find((p) => p.provider === 'cpu');
  expect(cpu?.status).toBe('available');
  expect(report.chosen).toBe(report.providers.find((p) => p.status === 'available')?.provider);
  for (const p of report.providers) if (p.status !== 'available') expect(p.reason).toBeTruthy();
  expect(report.onnxruntime).toBe(onnxruntimeVersion());
  expect(report.platform).toBe(`${process.platform}-${process.arch}`);
  expect(Number.isNaN(Date.parse(report.probedAt))).toBe(false);
}

describe('probeProviders', () => {
  it('tries every provider in order in a throwaway process and chooses the first that works', async () => {
    const report = await probeProviders({ launch: quiet });
    expectWellFormed(report);
    const skipped = report.providers.filter((p) => p.status === 'skipped').map((p) => [p.provider, p.reason]);
    if (process.platform === 'linux') {
      expect(skipped).toEqual([
        ['dml', 'Windows only'],
        ['coreml', 'macOS only'],
      ]);
    }
  });

  it('reports a provider whose native code kills the process as failed and probes the rest in a fresh one', async () => {
    // The crash is real: the worker process gets SIGABRT (what a native assert in a driver raises)
    // as soon as it is asked to probe WebGPU. Only the trigger is ours, since this machine has no
    // provider library that crashes by itself.
    const pids: number[] = [];
    const crashOnWebgpu: WorkerLauncher = () => {
      const port = quiet();
      if (port.pid) pids.push(port.pid);
      return {
        get pid() {
          return port.pid;
        },
        postMessage(message, transfer) {
          port.postMessage(message, transfer);
          if (message.kind === 'probe' && message.provider === 'webgpu' && port.pid) process.kill(port.pid, 'SIGABRT');
        },
        onMessage: (l) => port.onMessage(l),
        onExit: (l) => port.onExit(l),
        kill: (s) => port.kill(s),
      };
    };
    const report = await probeProviders({ launch: crashOnWebgpu });
    expectWellFormed(report);
    const webgpu = report.providers.find((p) => p.provider === 'webgpu');
    expect(webgpu?.status).toBe('failed');
    expect(webgpu?.reason).toMatch(/^The inference worker stopped \(signal SIGABRT\) while probing the webgpu execution provider/);
    // CPU was probed after the crash, so in a second process.
    expect(pids.length).toBe(2);
  });

  it('reports a provider that hangs as failed once its time is up', async () => {
    // 1 ms is less than creating and running any session takes, so the probe of CPU is stopped
    // and, CPU being the only one asked for, nothing works.
    await expect(probeProviders({ launch: quiet, order: ['cpu'], perProviderTimeoutMs: 1 })).rejects.toThrow(
      'No execution provider works on this machine, not even CPU (cpu: The inference worker did not finish probing the cpu execution provider within 0.001 s; it was stopped and restarts for the next request.).',
    );
  }, 30_000);
});

describe('the stored provider choice', () => {
  it('is probed once, stored in settings, reused, re-probed on request and when stale', async () => {
    const library = Library.open(path.join(tmp, 'choice-lib'));
    try {
      expect(readProviderChoice(library.db)).toBeNull();
      const first = await ensureProviderChoice(library.db, { launch: quiet });
      expect(first.probed).toBe(true);
      expectWellFormed(first.report);
      const row = library.db.prepare('SELECT value FROM settings WHERE key = ?').get(PROVIDERS_SETTING) as { value: string };
      expect(JSON.parse(row.value)).toEqual(first.report);

      const again = await ensureProviderChoice(library.db, { launch: quiet });
      expect(again).toEqual({ report: first.report, probed: false });

      const forced = await ensureProviderChoice(library.db, { launch: quiet, reprobe: true });
      expect(forced.probed).toBe(true);
      expect(forced.report.probedAt >= first.report.probedAt).toBe(true);

      // A report from another onnxruntime (the app was updated) does not count.
      const old = { ...forced.report, onnxruntime: '1.0.0' };
      expect(isStale(old)).toBe(true);
      saveProviderChoice(library.db, old);
      expect((await ensureProviderChoice(library.db, { launch: quiet })).probed).toBe(true);

      // Neither does a row that no longer parses.
      library.db.prepare('UPDATE settings SET value = ? WHERE key = ?').run('{"chosen":"tpu"}', PROVIDERS_SETTING);
      expect(readProviderChoice(library.db)).toBeNull();
    } finally {
      library.close();
    }
  });

  it('orders the providers a session is created with: the choice, then CPU', () => {
    const base = { providers: [], onnxruntime: '1', platform: 'p', probedAt: '', ms: 0 };
    expect(providersFor({ ...base, chosen: 'cuda' })).toEqual(['cuda', 'cpu']);
    expect(providersFor({ ...base, chosen: 'cpu' })).toEqual(['cpu']);
  });
});

describe('studio.inference', () => {
  it('starts lazily, loads sessions with the stored choice and stops with the studio', async () => {
    const dir = path.join(tmp, 'studio-lib');
    const studio = Studio.open({ libraryDir: dir, inferenceLauncher: quiet });
    let pid: number | undefined;
    try {
      expect(readProviderChoice(studio.library.db)).toBeNull();
      const worker = studio.inference;
      expect(studio.inference).toBe(worker);
      expect(worker.pid).toBeUndefined();
      const info = await worker.loadSession('add', path.resolve('resources/models/probe/add.onnx'));
      const choice = readProviderChoice(studio.library.db);
      expect(choice).not.toBeNull();
      expect(info.provider).toBe(choice!.chosen);
      pid = (await worker.ping()).pid;
    } finally {
      await studio.close();
    }
    expect(() => process.kill(pid!, 0)).toThrow();
  });
});
