import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/contract';
import type { RecipeFile } from '../../../shared/contract/models';
import { nowIso } from '../library';
import { fetchFile } from './file-fetch';
import { httpGet, type HttpOptions } from './http-get';
import type { PackSettings, SourcePin } from './pack-settings';
import { sha256File } from './verify';

export interface SourceFetch {
  file: RecipeFile;
  /** The download cache folder; the file lands at `<dir>/<role>-<name of the URL>`. */
  dir: string;
  settings: PackSettings;
  signal: AbortSignal;
  onBytes(bytes: number): void;
  retries?: number;
  http?: Pick<HttpOptions, 'idleTimeoutMs' | 'maxRedirects'>;
}

export interface FetchedSource {
  path: string;
  sha256: string;
  sizeBytes: number;
  /** The revision a `server-sha256` file is pinned to; null for a published hash. */
  commit: string | null;
}

/**
 * Downloads one public recipe file and verifies it: against its published sha256, or, for a
 * `server-sha256` file, against the sha256 the server states for the LFS object at first download
 * (then recorded, so every later download asks for that revision and must match that hash).
 */
export async function fetchSource(job: SourceFetch): Promise<FetchedSource> {
  const { file } = job;
  const dest = sourcePath(job.dir, file);
  const pinned = file.verify === 'server-sha256' ? job.settings.sourcePin(file.url) : null;
  const url = pinned?.commit ? atRevision(file.url, pinned.commit) : file.url;
  const known = file.sha256 ?? pinned?.sha256;
  // The download cache keeps verified files, so a second recipe (or a retry) that needs one reads it again instead of downloading it.
  if (known && (await sha256File(dest, job.signal).catch(() => null)) === known) {
    const sizeBytes = (await fs.stat(dest)).size;
    job.onBytes(sizeBytes);
    return { path: dest, sha256: known, sizeBytes, commit: pinned?.commit ?? null };
  }
  const stated = file.verify === 'sha256' || pinned ? null : await statedHash(url, job);
  const sha256 = file.sha256 ?? pinned?.sha256 ?? stated!.sha256;
  const size = file.sizeBytes ?? pinned?.sizeBytes ?? stated?.sizeBytes ?? (await statedSize(url, job));
  const hashFrom = file.sha256 ? 'the catalogue' : pinned ? 'the revision pinned in the library' : 'the server (X-Linked-Etag)';
  await fetchFile({ url, dest, file: { path: file.name, size, sha256 }, signal: job.signal, onBytes: job.onBytes, retries: job.retries, http: job.http, hashFrom });
  if (stated) job.settings.recordSourcePin(file.url, { sha256, commit: stated.commit, sizeBytes: size, recordedAt: nowIso() });
  return { path: dest, sha256, sizeBytes: size, commit: pinned?.commit ?? stated?.commit ?? null };
}

/** Where a recipe file lands in the download cache `dir` (its partial bytes in `<that>.part` until verified). */
export function sourcePath(dir: string, file: Pick<RecipeFile, 'role' | 'url'>): string {
  return path.join(dir, `${file.role}-${path.posix.basename(new URL(file.url).pathname)}`);
}

/** Hugging Face's `/resolve/<branch>/` with the commit in its place, so a pinned file cannot move under us. */
function atRevision(url: string, commit: string): string {
  return url.replace(/\/resolve\/[^/]+\//, `/resolve/${commit}/`);
}

type Stated = Omit<SourcePin, 'recordedAt'>;

/** Asks for the first byte only: the headers carry the hash, the commit and the size. */
async function statedHash(url: string, job: SourceFetch): Promise<Stated> {
  // The first answer that states each wins: the redirect from huggingface.co, not the CDN behind it.
  const seen: { etag: string | null; commit: string | null; size: number | null } = { etag: null, commit: null, size: null };
  const res = await httpGet(url, {
    ...job.http,
    headers: { Range: 'bytes=0-0' },
    signal: job.signal,
    onResponse: (_url, r) => {
      seen.etag ??= header(r.headers['x-linked-etag']);
      seen.commit ??= header(r.headers['x-repo-commit']);
      seen.size ??= wholeNumber(header(r.headers['x-linked-size']));
    },
  });
  res.body.resume();
  if (res.status !== 200 && res.status !== 206) throw new AppError('MODEL_MISSING', `${url} answered HTTP ${res.status}.`);
  const { etag, commit } = seen;
  const sha256 = etag?.replace(/^(W\/)?"|"$/g, '').toLowerCase() ?? '';
  if (!/^[0-9a-f]{64}$/.test(sha256)) {
    throw new AppError(
      'MODEL_INVALID',
      `${job.file.name} has no published sha256 and ${url} states none (X-Linked-Etag ${etag === null ? 'missing' : `"${etag}"`}), so it cannot be verified; nothing was downloaded.`,
    );
  }
  if (commit !== null && !/^[0-9a-f]{40}$/.test(commit)) throw new AppError('MODEL_INVALID', `${url} names a malformed revision (X-Repo-Commit "${commit}").`);
  return { sha256, commit, sizeBytes: seen.size ?? totalFromRange(res.body.headers['content-range']) ?? (await statedSize(url, job)) };
}

async function statedSize(url: string, job: SourceFetch): Promise<number> {
  const res = await httpGet(url, { ...job.http, headers: { Range: 'bytes=0-0' }, signal: job.signal });
  res.body.resume();
  const size = totalFromRange(res.body.headers['content-range']) ?? (res.status === 200 ? wholeNumber(header(res.body.headers['content-length'])) : null);
  if (size === null || size === 0) throw new AppError('MODEL_MISSING', `${url} states no size for ${job.file.name}.`);
  return size;
}

function header(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function wholeNumber(text: string | null): number | null {
  return text !== null && /^\d{1,15}$/.test(text) ? Number(text) : null;
}

function totalFromRange(contentRange: string | undefined): number | null {
  const m = /^bytes \d+-\d+\/(\d+)$/.exec(contentRange ?? '');
  return m ? Number(m[1]) : null;
}
