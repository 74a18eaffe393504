import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../../shared/contract';
import type { PackFile } from '../../../shared/packs/manifest-base';
import { httpGet, type HttpOptions } from './http-get';
import { sha256File } from './verify';

export interface FileFetch {
  url: string;
  /** Where the verified file ends up; bytes arrive in `<dest>.part` until then. */
  dest: string;
  file: PackFile;
  signal: AbortSignal;
  /** Called with how many bytes of this file are on disk, whenever that changes. */
  onBytes(bytes: number): void;
  /** Reconnects after a dropped connection, each resuming where the last stopped. */
  retries?: number;
  http?: Pick<HttpOptions, 'idleTimeoutMs' | 'maxRedirects'>;
  /** Who gave the expected sha256, for the refusal: default "the manifest". */
  hashFrom?: string;
}

/** The validator of the partial file's bytes, so a resume can ask for "the rest, if it is still the same file". */
interface PartMeta {
  url: string;
  validator: string | null;
}

export const partPath = (dest: string) => `${dest}.part`;
const metaPath = (dest: string) => `${dest}.part.json`;

/** Failures worth a reconnect: the connection broke, not the server saying no. */
class ConnectionLost extends Error {}

/**
 * Downloads one pack file with resume: Range from the end of the .part file, If-Range with the
 * server's strong ETag or Last-Modified, restart from zero when the server answers 200. The file is
 * renamed into place only after its size and sha256 match the manifest; a mismatch deletes it.
 */
export async function fetchFile(job: FileFetch): Promise<void> {
  const part = partPath(job.dest);
  await fs.mkdir(path.dirname(job.dest), { recursive: true });
  const retries = job.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      await fetchRest(job, part);
      break;
    } catch (err) {
      if (!(err instanceof ConnectionLost) || job.signal.aborted) throw err;
      if (attempt >= retries) {
        throw new AppError(
          'MODEL_MISSING',
          `Downloading ${job.file.path} failed after ${retries + 1} ${retries === 0 ? 'try' : 'tries'}: ${err.message}. What was downloaded is kept; download again to resume.`,
          { resumable: true },
        );
      }
      await sleep(250 * 2 ** attempt, undefined, { signal: job.signal });
    }
  }
  const actual = await sha256File(part, job.signal);
  if (actual !== job.file.sha256) {
    await discard(job.dest);
    job.onBytes(0);
    throw new AppError(
      'MODEL_INVALID',
      `${job.file.path} from ${job.url} has sha256 ${actual}, but ${job.hashFrom ?? 'the manifest'} says ${job.file.sha256}; the downloaded file was deleted.`,
    );
  }
  await fs.rename(part, job.dest);
  await fs.rm(metaPath(job.dest), { force: true });
}

async function fetchRest(job: FileFetch, part: string): Promise<void> {
  const { file } = job;
  let offset = (await fs.stat(part).catch(() => null))?.size ?? 0;
  if (offset > file.size) {
    await discard(job.dest);
    offset = 0;
  }
  job.onBytes(offset);
  if (offset === file.size && file.size > 0) return;

  const meta = offset > 0 ? await readMeta(job.dest) : null;
  const headers: Record<string, string> = {};
  if (offset > 0) {
    headers.Range = `bytes=${offset}-`;
    if (meta?.url === job.url && meta.validator) headers['If-Range'] = meta.validator;
  }
  let res;
  try {
    res = await httpGet(job.url, { ...job.http, headers, signal: job.signal });
  } catch (err) {
    if (err instanceof AppError || job.signal.aborted) throw err;
    throw new ConnectionLost((err as Error).message);
  }
  const { status, body } = res;
  if (status === 416) {
    // The server cannot serve the rest of what we hold: the partial file is stale; start over.
    body.resume();
    await discard(job.dest);
    job.onBytes(0);
    throw new ConnectionLost(`the server refused the range from byte ${offset}`);
  }
  if (status !== 200 && status !== 206) {
    body.resume();
    const code = status === 404 || status === 410 ? 'NOT_FOUND' : 'MODEL_MISSING';
    throw new AppError(code, `Downloading ${file.path} failed: ${job.url} answered HTTP ${status}.`);
  }
  const resumed = status === 206 && offset > 0 && rangeStart(body.headers['content-range']) === offset;
  if (!resumed && offset > 0) {
    // A 200 (or a range we did not ask for) is the whole file again: drop what we had.
    offset = 0;
    job.onBytes(0);
  }
  await writeMeta(job.dest, { url: job.url, validator: strongValidator(body.headers.etag, body.headers['last-modified']) });

  let received = offset;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (received > file.size) return done(new AppError('MODEL_INVALID', `${job.url} sent more than the ${file.size} bytes the manifest gives ${file.path}.`));
      job.onBytes(received);
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, createWriteStream(part, { flags: resumed ? 'a' : 'w' }), { signal: job.signal });
  } catch (err) {
    if (err instanceof AppError) {
      await discard(job.dest);
      job.onBytes(0);
      throw err;
    }
    if (job.signal.aborted) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOSPC') throw new AppError('DISK_FULL', `The disk filled up while downloading ${file.path}.`);
    throw new ConnectionLost((err as Error).message);
  }
  if (received < file.size) throw new ConnectionLost(`the connection closed after ${received} of ${file.size} bytes`);
}

function rangeStart(contentRange: string | undefined): number | null {
  const m = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(contentRange ?? '');
  return m ? Number(m[1]) : null;
}

/** If-Range needs a strong validator: a strong ETag, else Last-Modified, else nothing. */
function strongValidator(etag: string | undefined, lastModified: string | undefined): string | null {
  if (etag && !etag.startsWith('W/')) return etag;
  return lastModified ?? null;
}

async function readMeta(dest: string): Promise<PartMeta | null> {
  try {
    const meta = JSON.parse(await fs.readFile(metaPath(dest), 'utf8')) as Partial<PartMeta>;
    return typeof meta.url === 'string' ? { url: meta.url, validator: typeof meta.validator === 'string' ? meta.validator : null } : null;
  } catch {
    return null;
  }
}

async function writeMeta(dest: string, meta: PartMeta): Promise<void> {
  await fs.writeFile(metaPath(dest), JSON.stringify(meta));
}

async function discard(dest: string): Promise<void> {
  await fs.rm(partPath(dest), { force: true });
  await fs.rm(metaPath(dest), { force: true });
}
