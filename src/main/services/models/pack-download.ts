import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/contract';
import type { CatalogueEntry } from '../../../shared/contract/models';
import { fetchFile, partPath } from './file-fetch';
import { httpGet, type HttpOptions } from './http-get';
import { formatBytes, type ModelsFolder } from './models-folder';
import { MANIFEST_FILE, MANIFEST_MAX_BYTES, parseManifest, totalSize, type PackManifest } from './pack-manifest';
import { sha256File } from './verify';

export interface DownloadProgress {
  bytes: number;
  totalBytes: number;
  /** Bytes per second over the last few seconds, or null before there is a measure. */
  bytesPerSecond: number | null;
  secondsLeft: number | null;
}

export interface PackDownload {
  entry: CatalogueEntry;
  folder: ModelsFolder;
  signal: AbortSignal;
  onProgress(progress: DownloadProgress): void;
  http?: Pick<HttpOptions, 'idleTimeoutMs' | 'maxRedirects'>;
  retries?: number;
}

/**
 * Downloads a catalogue pack into `.downloads/<id>@<version>/` (kept across pauses), verifying every
 * file against the manifest's sha256, and renames the finished folder into place. The manifest is the
 * trust root: it is pinned by the catalogue's manifestSha256 when that is given.
 */
export async function downloadPack(job: PackDownload): Promise<PackManifest> {
  const { entry, folder } = job;
  if (await folder.has(entry.id)) throw new AppError('CONFLICT', `The pack "${entry.id}" is already installed.`);
  const staging = folder.downloadDir(entry.id, entry.version);
  await fs.mkdir(staging, { recursive: true });
  const manifest = await stagedManifest(job, staging);
  const files = manifest.base.files;

  const onDisk = new Map<string, number>();
  for (const f of files) onDisk.set(f.path, await bytesOnDisk(path.join(staging, f.path)));
  const total = totalSize(manifest.base);
  const sum = () => [...onDisk.values()].reduce((a, b) => a + b, 0);
  await folder.ensureFreeSpace(total - sum(), `download ${entry.id}`);

  const meter = new SpeedMeter(total);
  const report = throttled(() => job.onProgress(meter.sample(sum())), 250);
  report.now();
  try {
    await fetchAll(job, staging, manifest, onDisk, report);
  } finally {
    report.cancel();
  }
  job.onProgress(meter.sample(sum()));
  await folder.commit(staging, entry.id);
  // .downloads goes too once the last download in it is done.
  await fs.rmdir(path.dirname(staging)).catch(() => undefined);
  return manifest;
}

async function fetchAll(job: PackDownload, staging: string, manifest: PackManifest, onDisk: Map<string, number>, report: Throttled): Promise<void> {
  const { entry } = job;
  for (const f of manifest.base.files) {
    const dest = path.join(staging, f.path);
    if (await isVerified(dest, f.sha256, job.signal)) continue;
    await fetchFile({
      url: new URL(f.path.split('/').map(encodeURIComponent).join('/'), entry.manifestUrl).toString(),
      dest,
      file: f,
      signal: job.signal,
      http: job.http,
      retries: job.retries,
      onBytes: (bytes) => {
        onDisk.set(f.path, bytes);
        report();
      },
    });
    onDisk.set(f.path, f.size);
    report.now();
  }
}

interface Throttled {
  (): void;
  now(): void;
  cancel(): void;
}

/** Calls fn at most once per interval, and always once more after the last call, so a stall still shows where it stalled. */
function throttled(fn: () => void, intervalMs: number): Throttled {
  let last = 0;
  let timer: NodeJS.Timeout | null = null;
  const now = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    last = Date.now();
    fn();
  };
  const call = () => {
    const wait = last + intervalMs - Date.now();
    if (wait <= 0) now();
    else timer ??= setTimeout(now, wait);
  };
  return Object.assign(call, {
    now,
    cancel: () => {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  });
}

/** The manifest fetched once per download and kept beside the partial files, so a resume uses the same list. */
async function stagedManifest(job: PackDownload, staging: string): Promise<PackManifest> {
  const { entry } = job;
  const file = path.join(staging, MANIFEST_FILE);
  let bytes: Buffer | null = await fs.readFile(file).catch(() => null);
  if (bytes && entry.manifestSha256 && sha256(bytes) !== entry.manifestSha256) bytes = null;
  if (!bytes) {
    const fetched = await fetchManifest(job);
    if (entry.manifestSha256 && sha256(fetched) !== entry.manifestSha256) {
      throw new AppError('MODEL_INVALID', `The manifest at ${entry.manifestUrl} has sha256 ${sha256(fetched)}, but the catalogue pins ${entry.manifestSha256}.`);
    }
    bytes = fetched;
  }
  const manifest = parseManifest(bytes, entry.manifestUrl);
  const { id, version, kind } = manifest.base;
  if (id !== entry.id || version !== entry.version || kind !== entry.kind) {
    throw new AppError(
      'MODEL_INVALID',
      `The manifest at ${entry.manifestUrl} describes ${kind} pack ${id} ${version}, but the catalogue lists ${entry.kind} pack ${entry.id} ${entry.version}.`,
    );
  }
  await fs.writeFile(file, bytes);
  return manifest;
}

async function fetchManifest(job: PackDownload): Promise<Buffer> {
  const url = job.entry.manifestUrl;
  const res = await httpGet(url, { ...job.http, signal: job.signal }).catch((err: unknown) => {
    if (err instanceof AppError || job.signal.aborted) throw err;
    throw new AppError('MODEL_MISSING', `Cannot fetch the manifest ${url}: ${(err as Error).message}.`);
  });
  if (res.status !== 200) {
    res.body.resume();
    throw new AppError(res.status === 404 ? 'NOT_FOUND' : 'MODEL_MISSING', `Fetching the manifest failed: ${url} answered HTTP ${res.status}.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > MANIFEST_MAX_BYTES) {
      res.body.destroy();
      throw new AppError('MODEL_INVALID', `The manifest at ${url} is larger than ${MANIFEST_MAX_BYTES} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function bytesOnDisk(dest: string): Promise<number> {
  const done = await fs.stat(dest).catch(() => null);
  if (done) return done.size;
  return (await fs.stat(partPath(dest)).catch(() => null))?.size ?? 0;
}

/** A file completed by an earlier, paused run is hashed again before it is trusted. */
async function isVerified(dest: string, expected: string, signal: AbortSignal): Promise<boolean> {
  if (!(await fs.stat(dest).catch(() => null))) return false;
  if ((await sha256File(dest, signal)) === expected) return true;
  await fs.rm(dest, { force: true });
  return false;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Speed over a sliding window of the last few seconds of samples. */
class SpeedMeter {
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(private readonly total: number) {}

  sample(bytes: number): DownloadProgress {
    const now = Date.now();
    this.samples.push({ at: now, bytes });
    while (this.samples.length > 2 && now - this.samples[0]!.at > 5000) this.samples.shift();
    const first = this.samples[0]!;
    const seconds = (now - first.at) / 1000;
    const bytesPerSecond = seconds > 0.5 && bytes >= first.bytes ? (bytes - first.bytes) / seconds : null;
    const secondsLeft = bytesPerSecond ? Math.round((this.total - bytes) / bytesPerSecond) : null;
    return { bytes, totalBytes: this.total, bytesPerSecond, secondsLeft };
  }
}

export function describeProgress(p: DownloadProgress): string {
  const speed = p.bytesPerSecond === null ? '' : ` at ${formatBytes(Math.round(p.bytesPerSecond))}/s`;
  const left = p.secondsLeft === null ? '' : `, about ${p.secondsLeft} s left`;
  return `${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)}${speed}${left}`;
}
