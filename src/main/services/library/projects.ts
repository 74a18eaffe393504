import { randomUUID } from 'node:crypto';
import { AppError, type Project } from '../../../shared/contract';
import type { Db } from './database';
import { nowIso } from './time';

interface ProjectRow {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

const toProject = (r: ProjectRow): Project => ({ id: r.id, name: r.name, createdAt: r.created_at, updatedAt: r.updated_at });

const MAX_NAME = 200;

/** The contract validates names too; the store checks again so the CLI and scripts get the same rule. */
function checkName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length === 0) throw new AppError('INVALID_INPUT', 'A project needs a name.');
  if (trimmed.length > MAX_NAME) throw new AppError('INVALID_INPUT', `A project name has at most ${MAX_NAME} characters.`);
  return trimmed;
}

export class ProjectStore {
  constructor(private readonly db: Db) {}

  /** Newest first; rowid breaks ties between projects made in the same millisecond. */
  list(): Project[] {
    const rows = this.db.prepare('SELECT * FROM projects ORDER BY created_at DESC, rowid DESC').all() as ProjectRow[];
    return rows.map(toProject);
  }

  get(id: string): Project {
    const row = this.db.prepare('SELECT * FROM projects WHERE id = ?').get(id) as ProjectRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No project with id ${id}.`);
    return toProject(row);
  }

  create(name: string): Project {
    const now = nowIso();
    const row: ProjectRow = { id: randomUUID(), name: checkName(name), created_at: now, updated_at: now };
    this.db.prepare('INSERT INTO projects (id, name, created_at, updated_at) VALUES (@id, @name, @created_at, @updated_at)').run(row);
    return toProject(row);
  }

  rename(id: string, name: string): Project {
    const checked = checkName(name);
    const row = this.db
      .prepare('UPDATE projects SET name = ?, updated_at = ? WHERE id = ? RETURNING *')
      .get(checked, nowIso(), id) as ProjectRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No project with id ${id}.`);
    return toProject(row);
  }

  /** Deletes the project and, through ON DELETE CASCADE in the same statement, everything it owns. */
  delete(id: string): void {
    const info = this.db.prepare('DELETE FROM projects WHERE id = ?').run(id);
    if (info.changes === 0) throw new AppError('NOT_FOUND', `No project with id ${id}.`);
  }
}
