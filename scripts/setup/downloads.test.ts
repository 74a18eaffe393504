import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = path.resolve(import.meta.dirname, 'downloads.mjs');
const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
const ELECTRON = `v${lock.packages['node_modules/electron']!.version!}`;
const ZIP = `electron-${ELECTRON}-${process.platform}-${process.arch}.zip`;
/** onnxruntime-node only downloads anything (its CUDA libraries) on Linux x64. */
const ORT_DOWNLOADS = process.platform === 'linux' && process.arch === 'x64';

/** Requests the mirror saw, by path. */
const seen: string[] = [];
let server: http.Server;
let base = '';
let closed = '';
let tmp = '';

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-setup-probe-'));
  // A mirror laid out as Electron's releases are: the release URL redirects to the asset host, which
  // serves the first byte asked for; a NuGet index; a mirror without this version; one that never answers.
  server = http.createServer((req, res) => {
    seen.push(req.url!);
    if (req.url === `/mirror/${ELECTRON}/${ZIP}`) {
      res.writeHead(302, { Location: '/assets/electron.zip' }).end();
    } else if (req.url === '/assets/electron.zip') {
      expect(req.headers.range).toBe('bytes=0-0');
      res.writeHead(206, { 'Content-Range': 'bytes 0-0/100000000', 'Content-Length': '1' }).end('P');
    } else if (req.url === '/nuget/v3/index.json') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"version":"3.0.0","resources":[]}');
    } else if (req.url?.startsWith('/hang/')) {
      // Never answers: the probe's timeout has to end it.
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was just open and is now closed: connection refused, as on a network that blocks the host.
  const gone = http.createServer();
  await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
  closed = `http://127.0.0.1:${(gone.address() as AddressInfo).port}`;
  await new Promise((resolve) => gone.close(resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * The probe with only what a test gives it: no npm_config_* from the runner, no proxy, an empty
 * Electron download cache, and both addresses on 127.0.0.1, so nothing leaves the machine.
 */
async function probe(vars: Record<string, string>, shell = false) {
  const env = { PATH: process.env.PATH!, HOME: tmp, electron_config_cache: path.join(tmp, 'cache'), JINXIU_SETUP_PROBE_MS: '1500', ...vars };
  const { stdout, stderr } = shell
    ? await run('bash', ['-c', `eval "$(node '${SCRIPT}')"; echo "electron=\${ELECTRON_SKIP_BINARY_DOWNLOAD-unset} ort=\${ONNXRUNTIME_NODE_INSTALL-unset}"`], { env })
    : await run(process.execPath, [SCRIPT], { env });
  return { stdout, lines: stderr.split('\n').filter(Boolean) };
}

const at = (root: string) => ({ ELECTRON_MIRROR: `${root}/mirror/`, JINXIU_SETUP_NUGET_INDEX: `${root}/nuget/v3/index.json` });

describe('setup download probe', () => {
  it('downloads both where both can be fetched: Electron through the mirror and its redirect, says nothing', async () => {
    seen.length = 0;
    const { stdout, lines } = await probe(at(base));
    expect(stdout).toBe('unset ELECTRON_SKIP_BINARY_DOWNLOAD\n');
    expect(lines).toEqual([]);
    expect(seen).toContain(`/mirror/${ELECTRON}/${ZIP}`);
    expect(seen).toContain('/assets/electron.zip');
    expect(seen.includes('/nuget/v3/index.json')).toBe(ORT_DOWNLOADS);
  });

  it('skips both where the hosts refuse the connection, one line each saying what and why', async () => {
    const { stdout, lines } = await probe(at(closed));
    expect(stdout.split('\n').filter(Boolean)).toEqual(['export ELECTRON_SKIP_BINARY_DOWNLOAD=1', ...(ORT_DOWNLOADS ? ['export ONNXRUNTIME_NODE_INSTALL=skip'] : [])]);
    expect(lines).toHaveLength(ORT_DOWNLOADS ? 2 : 1);
    const host = closed.replace('http://', '');
    expect(lines[0]).toMatch(new RegExp(`^setup: skipping the Electron binary: ${host} refused the connection .*npm start needs it`));
    if (ORT_DOWNLOADS) expect(lines[1]).toMatch(new RegExp(`^setup: skipping onnxruntime's CUDA libraries: ${host} refused the connection`));
  });

  it('skips Electron when the mirror lacks the release, and when a host never answers in the probe time', async () => {
    const missing = await probe({ ELECTRON_MIRROR: `${base}/elsewhere/`, ONNXRUNTIME_NODE_INSTALL: 'skip' });
    expect(missing.stdout).toBe('export ELECTRON_SKIP_BINARY_DOWNLOAD=1\n');
    expect(missing.lines[0]).toContain('answered HTTP 404');
    // Were the timeout not kept, this would hang until the test's own timeout.
    const hung = await probe({ ELECTRON_MIRROR: `${base}/hang/`, JINXIU_SETUP_NUGET_INDEX: `${base}/hang/index.json`, JINXIU_SETUP_PROBE_MS: '300' });
    expect(hung.stdout).toContain('export ELECTRON_SKIP_BINARY_DOWNLOAD=1');
    expect(hung.lines[0]).toContain('did not answer within 0.3 s');
  });

  it("leaves the user's own settings alone and probes nothing for them", async () => {
    seen.length = 0;
    const { stdout, lines } = await probe({ ...at(base), ELECTRON_SKIP_BINARY_DOWNLOAD: 'yes', ONNXRUNTIME_NODE_INSTALL: 'skip' });
    expect(stdout).toBe('');
    expect(seen).toEqual([]);
    expect(lines).toEqual([
      'setup: skipping the Electron binary: ELECTRON_SKIP_BINARY_DOWNLOAD is set (npm start needs it; unset it to download).',
      "setup: skipping onnxruntime's CUDA libraries: ONNXRUNTIME_NODE_INSTALL=skip is set (inference runs on the CPU; unset it to download).",
    ]);
    // Asked for explicitly, the CUDA libraries are the installer's business, whatever the network.
    const forced = await probe({ ...at(closed), ONNXRUNTIME_NODE_INSTALL: 'cuda12' });
    expect(forced.stdout).not.toContain('ONNXRUNTIME_NODE_INSTALL');
  });

  it('an Electron zip already in the download cache needs no network', async () => {
    const href = `${closed}/mirror/${ELECTRON}/${ZIP}`;
    const { createHash } = await import('node:crypto');
    const dir = createHash('sha256').update(`${closed}/mirror/${ELECTRON}`).digest('hex');
    fs.mkdirSync(path.join(tmp, 'cache', dir), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'cache', dir, ZIP), 'zip');
    const { stdout, lines } = await probe({ ELECTRON_MIRROR: `${closed}/mirror/`, ONNXRUNTIME_NODE_INSTALL: 'skip' });
    expect(stdout, href).toBe('');
    expect(lines.filter((l) => l.includes('Electron'))).toEqual([]);
    fs.rmSync(path.join(tmp, 'cache'), { recursive: true });
  });

  it('what it prints is what setup.sh evals: the variables come out set or unset in the shell', async () => {
    const fetched = await probe(at(base), true);
    expect(fetched.stdout.trim()).toBe('electron=unset ort=unset');
    const blocked = await probe(at(closed), true);
    expect(blocked.stdout.trim()).toBe(`electron=1 ort=${ORT_DOWNLOADS ? 'skip' : 'unset'}`);
  });
});
