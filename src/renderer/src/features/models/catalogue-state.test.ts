import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DOWNLOAD_JOB_KIND, type CatalogueItem, type Job } from '../../../../shared/contract';
import { catalogueRowState, downloadPackId } from './catalogue-state';

const item = (over: Partial<CatalogueItem> = {}): CatalogueItem => ({
  id: 'garment-tiny',
  kind: 'garment',
  name: 'Tiny garment',
  version: '1.0.0',
  licence: 'CC-BY-4.0',
  manifestUrl: 'http://127.0.0.1:9/garment-tiny/manifest.json',
  installedVersion: null,
  partialBytes: 0,
  activeJobId: null,
  ...over,
});

const job = (state: Job['state'], over: Partial<Job> = {}): Job => ({
  id: randomUUID(),
  kind: DOWNLOAD_JOB_KIND,
  state,
  projectId: null,
  params: { id: 'garment-tiny' },
  progress: null,
  result: null,
  error: null,
  createdAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
  ...over,
});

describe('catalogue row state', () => {
  it('offers a download when nothing is installed, running or kept', () => {
    expect(catalogueRowState(item(), null)).toEqual({ kind: 'available' });
  });

  it('follows a live job, queued or running', () => {
    const queued = job('queued');
    expect(catalogueRowState(item(), queued)).toEqual({ kind: 'downloading', jobId: queued.id, queued: true });
    const running = job('running');
    expect(catalogueRowState(item({ activeJobId: running.id }), running)).toEqual({ kind: 'downloading', jobId: running.id, queued: false });
  });

  it('believes a finished job over a catalogue answer that still names it', () => {
    const done = job('succeeded');
    expect(catalogueRowState(item({ activeJobId: done.id }), done)).toEqual({ kind: 'available' });
    expect(catalogueRowState(item({ activeJobId: done.id, installedVersion: '1.0.0' }), done)).toEqual({ kind: 'installed', version: '1.0.0' });
  });

  it('believes the catalogue when it names a newer job', () => {
    const old = job('cancelled');
    const newer = randomUUID();
    expect(catalogueRowState(item({ activeJobId: newer }), old)).toEqual({ kind: 'downloading', jobId: newer, queued: false });
  });

  it('shows a failure with its message, and a kept part as paused or interrupted', () => {
    const failed = job('failed', { error: { code: 'MODEL_INVALID', message: 'unet.onnx has sha256 00, but the manifest says ff' } });
    expect(catalogueRowState(item({ partialBytes: 10 }), failed)).toEqual({ kind: 'failed', message: failed.error!.message, partialBytes: 10 });
    expect(catalogueRowState(item({ partialBytes: 10 }), job('cancelled'))).toEqual({ kind: 'paused', partialBytes: 10, interrupted: false });
    expect(catalogueRowState(item({ partialBytes: 10 }), job('interrupted'))).toEqual({ kind: 'paused', partialBytes: 10, interrupted: true });
    expect(catalogueRowState(item({ partialBytes: 0 }), job('cancelled'))).toEqual({ kind: 'available' });
  });

  it('reads the pack id of a download job', () => {
    expect(downloadPackId(job('queued'))).toBe('garment-tiny');
    expect(downloadPackId({ params: null })).toBeNull();
    expect(downloadPackId({ params: { id: 3 } })).toBeNull();
  });
});
