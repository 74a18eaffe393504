import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { electronUnavailable, expect, test } from './fixtures';

test.skip(({ target }) => target === 'electron' && electronUnavailable() !== null, electronUnavailable() ?? '');

// The catalogue override is an option of the browser harness (startHarness's modelsCatalogue); the
// Electron app always reads the catalogue it ships, so there is nothing to point at a local server.
const skipCatalogueInElectron = () =>
  test.skip(({ target }) => target === 'electron', 'The models catalogue can be pointed at a local server only in the browser harness.');

const ROOT = path.resolve(import.meta.dirname, '..');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Pack {
  id: string;
  manifest: { id: string; version: string; kind: 'garment' | 'motif'; name: string; licence: string; files: { path: string; sha256: string; size: number }[] };
  manifestBytes: Buffer;
  contents: Map<string, Buffer>;
}

/**
 * A pack that passes the full manifest contract, as the model manager's tests build them: the example
 * manifest of its kind (tools/models/examples), random bytes for each file it lists, 64 bytes unless
 * `sizes` says otherwise. Files named in `sizes` come first, so the download fetches them first.
 */
function makePack(kind: 'garment' | 'motif', label: string, sizes: Record<string, number> = {}): Pack {
  const example = kind === 'garment' ? 'garment-sd15-ipadapter-controlnet' : 'motif-chinese-clip-onnx';
  const template = JSON.parse(fs.readFileSync(path.join(ROOT, `tools/models/examples/${example}.manifest.json`), 'utf8')) as { files: { path: string }[] };
  const names = [...Object.keys(sizes), ...template.files.map((f) => f.path).filter((p) => !(p in sizes))];
  const contents = new Map(names.map((p) => [p, randomBytes(sizes[p] ?? 64)]));
  const id = `e2e-${label}-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const manifest = {
    ...template,
    id,
    version: '1.0.0',
    kind,
    name: `E2E ${label} pack`,
    licence: 'CC-BY-4.0',
    files: [...contents].map(([p, b]) => ({ path: p, sha256: sha256(b), size: b.length })),
  };
  return { id, manifest, manifestBytes: Buffer.from(JSON.stringify(manifest, null, 2)), contents };
}

function writePackFolder(dir: string, pack: Pack): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'manifest.json'), pack.manifestBytes);
  for (const [p, b] of pack.contents) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), b);
  }
  return dir;
}

/**
 * A real HTTP server on 127.0.0.1 serving packs with Range, If-Range and strong ETags. While its gate
 * is shut, a data file gets its first quarter and the connection is then held open, so the test sees
 * a download mid-way (and can pause it) without any timing; opening the gate finishes every response.
 */
class GatedPackServer {
  readonly ranges: { file: string; range: string | undefined }[] = [];
  private readonly packs = new Map<string, Pack>();
  private open = true;
  private held: (() => void)[] = [];
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.openGate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  add(pack: Pack): void {
    this.packs.set(pack.id, pack);
  }

  manifestUrl(pack: Pack): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${pack.id}/manifest.json`;
  }

  shutGate(): void {
    this.open = false;
  }

  openGate(): void {
    this.open = true;
    for (const go of this.held.splice(0)) go();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.on('error', () => undefined); // the client aborting a held response is expected (pause, cancel)
    const [, id = '', ...rest] = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).split('/');
    const file = rest.join('/');
    const pack = this.packs.get(id);
    if (!pack) return void res.writeHead(404).end();
    if (file === 'manifest.json') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(pack.manifestBytes);
    const body = pack.contents.get(file);
    if (!body) return void res.writeHead(404).end();
    this.ranges.push({ file, range: req.headers.range });

    const etag = `"${sha256(body).slice(0, 16)}"`;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    const start = range && (!ifRange || ifRange === etag) ? Number(range[1]) : 0;
    const headers = { ETag: etag, 'Content-Length': body.length - start, 'Accept-Ranges': 'bytes' };
    if (start > 0) res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` });
    else res.writeHead(200, headers);
    const remaining = body.subarray(start);
    if (this.open) return void res.end(remaining);
    const quarter = Math.ceil(remaining.length / 4);
    res.write(remaining.subarray(0, quarter));
    this.held.push(() => {
      if (!res.destroyed) res.end(remaining.subarray(quarter));
    });
  }
}

/** Points the harness's catalogue (read afresh on each call) at the given packs of the server. */
function publishCatalogue(server: GatedPackServer, packs: Pack[]): void {
  const file = process.env.JINXIU_E2E_CATALOGUE;
  if (!file) throw new Error('JINXIU_E2E_CATALOGUE is not set: the global setup did not give the harness a catalogue.');
  const entries = packs.map((p) => ({
    id: p.id,
    kind: p.manifest.kind,
    name: p.manifest.name,
    version: p.manifest.version,
    licence: p.manifest.licence,
    description: 'Served by the e2e test from 127.0.0.1.',
    manifestUrl: server.manifestUrl(p),
    manifestSha256: sha256(p.manifestBytes),
    sizeBytes: p.manifest.files.reduce((sum, f) => sum + f.size, 0),
  }));
  fs.writeFileSync(file, JSON.stringify({ catalogueVersion: 1, packs: entries }, null, 2));
}

const installedRow = (page: Page, id: string): Locator => page.locator(`[data-testid="installed-pack"][data-pack-id="${id}"]`);
const catalogueRow = (page: Page, id: string): Locator => page.locator(`[data-testid="catalogue-item"][data-pack-id="${id}"]`);

async function openModels(page: Page): Promise<void> {
  await page.getByTestId('nav-models').click();
  await expect(page.getByTestId('panel-models')).toBeVisible();
  await expect(page.getByTestId('installed-count')).toBeVisible();
}

let server: GatedPackServer;
let scratch: string;

test.beforeEach(async () => {
  server = await new GatedPackServer().start();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-e2e-packs-'));
});

test.afterEach(async () => {
  await server.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

test.describe('the catalogue', () => {
  skipCatalogueInElectron();

  test('downloads a catalogue pack with live progress, pauses, resumes and sees it verified', async ({ studio: page }) => {
    const big = 'unet.onnx';
    const pack = makePack('garment', 'download', { [big]: 2_000_000 });
    const total = pack.manifest.files.reduce((sum, f) => sum + f.size, 0);
    server.add(pack);
    publishCatalogue(server, [pack]);
    server.shutGate();

    await openModels(page);
    const row = catalogueRow(page, pack.id);
    await expect(row).toHaveAttribute('data-state', 'available');
    await row.getByTestId('catalogue-download').click();

    // The server holds the first file after a quarter of it: the row shows exactly those bytes of the total.
    const progress = row.getByTestId('download-progress');
    await expect(progress).toHaveAttribute('data-bytes', String(500_000));
    await expect(progress).toHaveAttribute('data-total', String(total));
    await expect(row.getByTestId('download-bytes')).toHaveText('500 KB of 2 MB');
    await expect(row.getByTestId('download-speed')).toContainText('/s');
    await expect(row.getByTestId('download-left')).toContainText('left');

    await row.getByTestId('catalogue-pause').click();
    // What is kept is the part of the file, its resume note and the staged manifest.
    await expect(row).toHaveAttribute('data-state', 'paused');
    await expect(row.getByTestId('catalogue-paused')).toHaveText(/^Paused: 5\d\d KB downloaded$/);
    await expect(installedRow(page, pack.id)).toHaveCount(0);

    server.openGate();
    await row.getByTestId('catalogue-resume').click();
    await expect(row).toHaveAttribute('data-state', 'installed');
    await expect(row.getByTestId('catalogue-installed')).toHaveText('Installed (1.0.0)');

    // The resume asked for the rest of the file, not the whole of it again.
    expect(server.ranges.filter((r) => r.file === big).map((r) => r.range)).toEqual([undefined, 'bytes=500000-']);

    const installed = installedRow(page, pack.id);
    await expect(installed).toHaveAttribute('data-status', 'verified');
    await expect(installed.getByTestId('pack-name')).toHaveText(pack.manifest.name);
    await expect(installed.getByTestId('pack-features')).toHaveText('Garment rendering');
    await installed.getByTestId('pack-verify').click();
    await expect(installed.getByTestId('pack-verify-result')).toHaveAttribute('data-ok', 'true');
    await expect(installed.getByTestId('pack-verify-result')).toHaveText('All files match the manifest.');

    // It stays listed after a reload: the list came from the library, not the page.
    await page.reload();
    await openModels(page);
    await expect(installedRow(page, pack.id)).toHaveAttribute('data-status', 'verified');
  });

  test('cancelling a download discards it; a pack whose bytes do not match fails with the reason', async ({ studio: page }) => {
    const pack = makePack('garment', 'cancel', { 'unet.onnx': 400_000 });
    const tampered = makePack('motif', 'tampered');
    // The server sends other bytes than the manifest hashes for the first file.
    const listed = tampered.manifest.files[0]!;
    tampered.contents.set(listed.path, randomBytes(listed.size));
    server.add(pack);
    server.add(tampered);
    publishCatalogue(server, [pack, tampered]);
    server.shutGate();

    await openModels(page);
    const row = catalogueRow(page, pack.id);
    await row.getByTestId('catalogue-download').click();
    await expect(row.getByTestId('download-progress')).toHaveAttribute('data-bytes', String(100_000));
    await row.getByTestId('catalogue-cancel').click();
    await expect(row).toHaveAttribute('data-state', 'available');
    await expect(row.getByTestId('catalogue-paused')).toHaveCount(0);

    server.openGate();
    const bad = catalogueRow(page, tampered.id);
    await bad.getByTestId('catalogue-download').click();
    await expect(bad).toHaveAttribute('data-state', 'failed');
    await expect(bad.getByTestId('catalogue-failed')).toContainText(`${listed.path} from`);
    await expect(bad.getByTestId('catalogue-failed')).toContainText(`the manifest says ${listed.sha256}`);
    await expect(installedRow(page, tampered.id)).toHaveCount(0);
  });

  test('a malformed catalogue is reported in its section and the installed packs still show', async ({ studio: page }) => {
    const file = process.env.JINXIU_E2E_CATALOGUE!;
    fs.writeFileSync(file, '{ "catalogueVersion": 1, "packs": [');
    try {
      await openModels(page);
      await expect(page.getByTestId('catalogue-load-error')).toContainText('The catalogue could not be read.');
      await expect(page.getByTestId('catalogue-load-error')).toContainText('is not valid JSON');
      await expect(page.getByTestId('models-error')).toHaveCount(0);
      await expect(page.getByTestId('installed-list').or(page.getByTestId('installed-empty'))).toBeVisible();
    } finally {
      fs.writeFileSync(file, JSON.stringify({ catalogueVersion: 1, packs: [] }));
    }
  });
});

test('installs a pack from a folder, finds a damaged and a missing file, sets it default and removes it', async ({ studio: page, target }) => {
  const pack = makePack('motif', 'folder');
  const folder = writePackFolder(path.join(scratch, 'motif-pack'), pack);

  await openModels(page);
  // Main reads a pack only from its own dialog or a folder picked at start; a browser has no such
  // dialog, so Choose says where a typed path may lie. (In Electron it would open the native dialog.)
  if (target === 'browser') {
    await page.getByTestId('install-choose-folder').click();
    await expect(page.getByTestId('install-choose-error')).toContainText('This studio runs in a browser, without file dialogs');
  }
  // A path with no pack is refused with main's message, and nothing is installed.
  const before = await page.getByTestId('installed-pack').count();
  await page.getByTestId('install-path').fill(path.join(scratch, 'no-such-pack'));
  await page.getByTestId('install-submit').click();
  await expect(page.getByTestId('install-error')).toContainText('The pack was not installed.');
  await expect(page.getByTestId('installed-pack')).toHaveCount(before);

  await page.getByTestId('install-path').fill(folder);
  await page.getByTestId('install-submit').click();
  await expect(page.getByTestId('install-done')).toHaveText(`Installed ${pack.manifest.name} 1.0.0.`);
  const row = installedRow(page, pack.id);
  await expect(row).toHaveAttribute('data-status', 'verified');
  await expect(row.getByTestId('pack-features')).toHaveText('Motif search');
  await row.getByTestId('pack-verify').click();
  await expect(row.getByTestId('pack-verify-result')).toHaveAttribute('data-ok', 'true');

  // Damage the installed copy: same size, other bytes in one file; another file gone.
  const installedDir = await row.getAttribute('data-path');
  expect(installedDir).toBeTruthy();
  const [first, second] = pack.manifest.files;
  fs.writeFileSync(path.join(installedDir!, first!.path), randomBytes(first!.size));
  fs.rmSync(path.join(installedDir!, second!.path));
  await row.getByTestId('pack-verify').click();
  const result = row.getByTestId('pack-verify-result');
  await expect(result).toHaveAttribute('data-ok', 'false');
  await expect(result.locator(`[data-testid="pack-problem"][data-issue="sha256"][data-path="${first!.path}"]`)).toContainText('Hash mismatch');
  await expect(result.locator(`[data-testid="pack-problem"][data-issue="missing"][data-path="${second!.path}"]`)).toContainText('Missing file');
  await expect(row).toHaveAttribute('data-status', 'invalid');

  // Installing does not make it the pack searches use (the bundled motif pack stays): the technician chooses it.
  const bundledMotif = page.locator('[data-testid="installed-pack"][data-pack-id="jinxiu-motif-default"]');
  await expect(row).toHaveAttribute('data-default', 'false');
  await row.getByTestId('pack-set-default').click();
  await expect(row.getByTestId('pack-default-badge')).toHaveText('Default');
  await expect(row).toHaveAttribute('data-default', 'true');
  await expect(bundledMotif).toHaveAttribute('data-default', 'false');

  await row.getByTestId('pack-remove').click();
  await row.getByTestId('pack-remove-cancel').click();
  await expect(row).toHaveCount(1);
  await row.getByTestId('pack-remove').click();
  await row.getByTestId('pack-remove-confirm').click();
  await expect(row).toHaveCount(0);
  expect(fs.existsSync(installedDir!)).toBe(false);
  // The chosen pack gone, searches fall back to the bundled motif pack.
  await expect(bundledMotif).toHaveAttribute('data-default', 'true');
});
