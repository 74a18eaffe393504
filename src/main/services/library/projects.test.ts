import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract';
import { JobQueue } from '../jobs';
import { Library } from './index';

let dir: string;
let lib: Library;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-projects-'));
  lib = Library.open(dir);
});
afterEach(() => {
  lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function expectAppError(fn: () => unknown, code: string, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe(code);
  if (message) expect((caught as AppError).message).toMatch(message);
}

const count = (table: string, where = '1', ...args: unknown[]) =>
  (lib.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get(...args) as { n: number }).n;

describe('ProjectStore', () => {
  it('creates projects with trimmed names and lists them newest first', () => {
    const made = ['Spring shirt', '  Silk qipao  ', 'Denim jacket'].map((n) => lib.projects.create(n));
    expect(made[1]!.name).toBe('Silk qipao');
    expect(made[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Made in the same millisecond or not, the newest comes first.
    expect(lib.projects.list().map((p) => p.name)).toEqual(['Denim jacket', 'Silk qipao', 'Spring shirt']);
    expect(lib.projects.get(made[0]!.id)).toEqual(made[0]);
  });

  it('renames a project and moves its updatedAt, keeping createdAt', async () => {
    const p = lib.projects.create('Shirt');
    await new Promise((r) => setTimeout(r, 5));
    const renamed = lib.projects.rename(p.id, ' Oxford shirt ');
    expect(renamed).toMatchObject({ id: p.id, name: 'Oxford shirt', createdAt: p.createdAt });
    expect(renamed.updatedAt > p.updatedAt).toBe(true);
    expect(lib.projects.get(p.id)).toEqual(renamed);
  });

  it('answers NOT_FOUND for an unknown id on get, rename and delete, and changes nothing', () => {
    const p = lib.projects.create('Shirt');
    const ghost = '00000000-0000-4000-8000-000000000000';
    expectAppError(() => lib.projects.get(ghost), 'NOT_FOUND', new RegExp(ghost));
    expectAppError(() => lib.projects.rename(ghost, 'x'), 'NOT_FOUND');
    expectAppError(() => lib.projects.delete(ghost), 'NOT_FOUND');
    expect(lib.projects.list()).toEqual([p]);
  });

  it('refuses empty and over-long names with a clear message', () => {
    const p = lib.projects.create('Shirt');
    expectAppError(() => lib.projects.create('   '), 'INVALID_INPUT', /needs a name/);
    expectAppError(() => lib.projects.rename(p.id, ''), 'INVALID_INPUT', /needs a name/);
    expectAppError(() => lib.projects.create('x'.repeat(201)), 'INVALID_INPUT', /at most 200/);
    expect(lib.projects.get(p.id).name).toBe('Shirt');
    expect(count('projects')).toBe(1);
  });

  it("deletes a project with all of its rows, leaving other projects and shared swatches and files", () => {
    const now = new Date().toISOString();
    const file = 'c'.repeat(64);
    lib.db.prepare(`INSERT INTO files (sha256, size, mime, created_at) VALUES (?, 3, 'image/png', ?)`).run(file, now);
    lib.db.prepare(`INSERT INTO swatches (id, name, image_sha256, created_at, updated_at) VALUES ('denim', 'Indigo denim', ?, ?, ?)`).run(file, now, now);
    const jobs = new JobQueue(lib.db);
    jobs.register('render.garment', async () => null);

    const fill = (projectId: string, tag: string) =>
      lib.db.transaction(() => {
        const run = (sql: string, ...args: unknown[]) => lib.db.prepare(sql).run(...args);
        run(`INSERT INTO flats (id, project_id, name, head_version, created_at, updated_at) VALUES (?, ?, 'front', 1, ?, ?)`, `flat-${tag}`, projectId, now, now);
        run(`INSERT INTO flat_versions (flat_id, version, document, created_at) VALUES (?, 1, '{"paths":[]}', ?)`, `flat-${tag}`, now);
        run(`INSERT INTO project_swatches (project_id, swatch_id) VALUES (?, 'denim')`, projectId);
        run(`INSERT INTO prompts (id, project_id, text, created_at) VALUES (?, ?, 'indigo denim jacket', ?)`, `prompt-${tag}`, projectId, now);
        const job = jobs.enqueue('render.garment', { seed: 7 }, { projectId });
        run(
          `INSERT INTO generations (id, project_id, job_id, flat_id, flat_version, prompt_id, prompt, variant, alpha, seed, steps, scheduler, pack_id, pack_version, provider, file_sha256, created_at)
           VALUES (?, ?, ?, ?, 1, ?, 'indigo denim jacket', 'image-biased', 0.8, 7, 50, 'ddim', 'higarment', '1', 'cpu', ?, ?)`,
          `gen-${tag}`, projectId, job.id, `flat-${tag}`, `prompt-${tag}`, file, now,
        );
        run(`INSERT INTO techpacks (id, project_id, created_at, updated_at) VALUES (?, ?, ?, ?)`, `tp-${tag}`, projectId, now, now);
        run(`INSERT INTO techpack_revisions (techpack_id, revision, snapshot, created_at) VALUES (?, 1, '{}', ?)`, `tp-${tag}`, now);
      })();

    const doomed = lib.projects.create('Doomed');
    const kept = lib.projects.create('Kept');
    fill(doomed.id, 'a');
    fill(kept.id, 'b');
    const owned = ['flats', 'flat_versions', 'project_swatches', 'prompts', 'jobs', 'generations', 'techpacks', 'techpack_revisions'];
    for (const t of owned) expect(count(t), t).toBe(2);

    lib.projects.delete(doomed.id);

    for (const t of owned) expect(count(t), t).toBe(1);
    expect(count('flats', 'id = ?', 'flat-b')).toBe(1);
    expect(count('generations', 'id = ?', 'gen-b')).toBe(1);
    expect(count('jobs', 'project_id = ?', kept.id)).toBe(1);
    expect(count('swatches')).toBe(1);
    expect(count('files')).toBe(1);
    expect(lib.projects.list().map((p) => p.id)).toEqual([kept.id]);
    expect(lib.db.pragma('foreign_key_check')).toEqual([]);
  });
});
