import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ASSEMBLE_JOB_KIND, CatalogueSchema, DOWNLOAD_JOB_KIND, type CatalogueRecipeItem, type Job } from '../../../../shared/contract';
import { acceptedBy, assembleRecipeId, assembleResult, isCheckpointJob, licencesToAccept, recipeRowState, recipeTotals } from './recipe-state';
import { latestJobByRecipe } from './useRecipes';

// The shipped catalogue: the licences and sizes the technician is shown are the real ones.
const shipped = CatalogueSchema.parse(JSON.parse(fs.readFileSync(new URL('../../../../../resources/models/catalogue.json', import.meta.url), 'utf8')));
const recipe = (id: string) => shipped.recipes.find((r) => r.id === id)!;
const item = (over: Partial<CatalogueRecipeItem> = {}): CatalogueRecipeItem => ({ ...recipe('sd15-garment'), installedPackId: null, activeJobId: null, ...over });

const job = (state: Job['state'], over: Partial<Job> = {}): Job => ({
  id: randomUUID(),
  kind: ASSEMBLE_JOB_KIND,
  state,
  projectId: null,
  params: { recipeId: 'sd15-garment', acceptedLicences: ['creativeml-openrail-m', 'openrail'] },
  progress: null,
  result: null,
  error: null,
  createdAt: '2026-12-07T10:00:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
  ...over,
});

describe('recipe row state', () => {
  it('offers Install when nothing is installed, running or paused', () => {
    expect(recipeRowState(item(), null, new Set())).toEqual({ kind: 'available' });
  });

  it('follows a live job, queued or running, even before the catalogue names it', () => {
    const queued = job('queued');
    expect(recipeRowState(item(), queued, new Set())).toEqual({ kind: 'installing', jobId: queued.id, queued: true });
    const running = job('running');
    expect(recipeRowState(item({ installedPackId: 'jinxiu-sd15-garment' }), running, new Set())).toMatchObject({ kind: 'installing', queued: false });
  });

  it("takes the catalogue's active job over an older one the page knows of", () => {
    const old = job('failed');
    const active = randomUUID();
    expect(recipeRowState(item({ activeJobId: active }), old, new Set())).toEqual({ kind: 'installing', jobId: active, queued: false });
  });

  it('names the installed pack, which wins over an old failure', () => {
    expect(recipeRowState(item({ installedPackId: 'jinxiu-sd15-garment' }), job('failed'), new Set())).toEqual({ kind: 'installed', packId: 'jinxiu-sd15-garment' });
  });

  it("shows a failure with the service's message", () => {
    const failed = job('failed', { error: { code: 'INVALID_INPUT', message: 'checkpoint.safetensors: sha256 mismatch' } });
    expect(recipeRowState(item(), failed, new Set())).toEqual({ kind: 'failed', message: 'checkpoint.safetensors: sha256 mismatch' });
  });

  it('offers Resume after a pause made here or a shutdown, but not after a cancel', () => {
    const paused = job('cancelled');
    expect(recipeRowState(item(), paused, new Set([paused.id]))).toEqual({ kind: 'paused', jobId: paused.id, interrupted: false });
    expect(recipeRowState(item(), paused, new Set())).toEqual({ kind: 'available' });
    const interrupted = job('interrupted');
    expect(recipeRowState(item(), interrupted, new Set())).toEqual({ kind: 'paused', jobId: interrupted.id, interrupted: true });
  });
});

describe('licences to accept', () => {
  it('lists each OpenRAIL licence of the garment recipe once, and none of the Apache ones', () => {
    expect(licencesToAccept(recipe('sd15-garment')).map((l) => l.id)).toEqual(['creativeml-openrail-m', 'openrail']);
    expect(licencesToAccept(recipe('sd15-garment-lcm')).map((l) => l.id)).toEqual(['creativeml-openrail-m', 'openrail', 'openrail++']);
    expect(licencesToAccept(recipe('chinese-clip-motif'))).toEqual([]);
  });

  it("leaves out the catalogue checkpoint's licence when the technician brings their own", () => {
    expect(licencesToAccept(recipe('sd15-garment'), ['checkpoint']).map((l) => l.id)).toEqual(['openrail']);
  });
});

describe('assembly jobs', () => {
  it('tells a recipe install from an own checkpoint and from other jobs', () => {
    const own = job('running', { params: { recipeId: 'sd15-garment', acceptedLicences: ['openrail'], own: { checkpoint: '/x/mine.safetensors', id: 'own-mine', name: 'mine' } } });
    expect(assembleRecipeId(job('running'))).toBe('sd15-garment');
    expect(assembleRecipeId(own)).toBeNull();
    expect(isCheckpointJob(own)).toBe(true);
    expect(isCheckpointJob(job('running'))).toBe(false);
    expect(assembleRecipeId(job('running', { kind: DOWNLOAD_JOB_KIND }))).toBeNull();
    expect(acceptedBy(job('cancelled'))).toEqual(['creativeml-openrail-m', 'openrail']);
    expect(acceptedBy(null)).toEqual([]);
  });

  it('reads the offers of a succeeded job only', () => {
    const result = { packId: 'jinxiu-sd15-garment', kind: 'garment', offerDefault: true, offerReindex: false };
    expect(assembleResult(job('succeeded', { result }))).toEqual(result);
    expect(assembleResult(job('running', { result }))).toBeNull();
    expect(assembleResult(job('succeeded', { result: { packId: 'x' } }))).toBeNull();
  });

  it('keeps the newest job of each recipe', () => {
    const older = job('failed', { createdAt: '2026-12-07T09:00:00.000Z' });
    const newer = job('running', { createdAt: '2026-12-07T11:00:00.000Z' });
    const other = job('succeeded', { params: { recipeId: 'chinese-clip-motif', acceptedLicences: [] } });
    const latest = latestJobByRecipe({ [newer.id]: newer, [older.id]: older, [other.id]: other });
    expect(latest).toEqual({ 'sd15-garment': newer, 'chinese-clip-motif': other });
  });
});

describe('recipe totals', () => {
  it('are lower bounds while a file has no published size', () => {
    const garment = recipeTotals(recipe('sd15-garment'));
    expect(garment).toMatchObject({ atLeast: true, unknownSizes: 1 });
    // The published sizes of the IP-Adapter, its image encoder and the line-art ControlNet.
    expect(garment.downloadBytes).toBe(44642768 + 2528373448 + 722601104);
    expect(garment.assemblyBytes).toBeGreaterThan(garment.downloadBytes);
  });
});
