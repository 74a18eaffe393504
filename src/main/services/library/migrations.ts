import type Database from 'better-sqlite3';
import { FLAT_HISTORY_MIGRATION } from '../flats/store-migration';
import { GENERATION_SWATCH_MIGRATION } from '../generations/schema';
import { JOB_OWNERS_MIGRATION } from '../jobs/schema';
import { MOTIF_TEXT_MIGRATION, MOTIF_TEXT_RESEGMENT_MIGRATION } from '../motif/schema';
import { TECHPACK_EXPORTS_MIGRATION } from '../techpack/schema';

/**
 * Versioned schema of library.sqlite. `PRAGMA user_version` holds the number of migrations applied.
 * Append only once released: a released migration is never edited, a change is a new entry.
 *
 * A migration is SQL, a function, or both (SQL first). Each runs in its own transaction with foreign
 * keys deferred to a `foreign_key_check` at its end, so a migration may rebuild a table the way the
 * SQLite manual describes (create new, copy, drop old, rename).
 */
export interface Migration {
  version: number;
  name: string;
  sql?: string;
  up?: (db: Database.Database) => void;
}

/** `PRAGMA application_id` of a Jinxiu library ("JXIS"), so a stranger's database is never migrated. */
export const APPLICATION_ID = 0x4a584953;

// Tables are STRICT so a wrongly typed value is an error instead of silently stored text; JSON columns
// are checked with json_valid so a half-built document can never be saved. Every foreign key column has
// an index: SQLite needs one to cascade a project delete without scanning whole tables.
const INITIAL = `
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL CHECK (json_valid(value))
  ) STRICT;

  -- Content-addressed file store: the bytes live on disk under files/ab/abcdef..., keyed by sha256.
  CREATE TABLE files (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    size INTEGER NOT NULL CHECK (size >= 0),
    mime TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX projects_by_created ON projects(created_at);

  -- A flat is a versioned JSON document; every saved state is a row of flat_versions and
  -- head_version names the current one (0 while none is saved).
  CREATE TABLE flats (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    head_version INTEGER NOT NULL DEFAULT 0 CHECK (head_version >= 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX flats_by_project ON flats(project_id);
  CREATE TABLE flat_versions (
    flat_id TEXT NOT NULL REFERENCES flats(id) ON DELETE CASCADE,
    version INTEGER NOT NULL CHECK (version >= 1),
    label TEXT,
    document TEXT NOT NULL CHECK (json_valid(document)),
    created_at TEXT NOT NULL,
    PRIMARY KEY (flat_id, version)
  ) STRICT;

  -- Swatches are shared by all projects; project_swatches says which ones a project uses.
  CREATE TABLE swatches (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    category TEXT,
    image_sha256 TEXT REFERENCES files(sha256),
    tile_sha256 TEXT REFERENCES files(sha256),
    width_cm REAL CHECK (width_cm IS NULL OR width_cm > 0),
    height_cm REAL CHECK (height_cm IS NULL OR height_cm > 0),
    attributes TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX swatches_by_image ON swatches(image_sha256);
  CREATE INDEX swatches_by_tile ON swatches(tile_sha256);
  CREATE TABLE project_swatches (
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    swatch_id TEXT NOT NULL REFERENCES swatches(id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, swatch_id)
  ) STRICT;
  CREATE INDEX project_swatches_by_swatch ON project_swatches(swatch_id);

  CREATE TABLE prompts (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    language TEXT,
    fields TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(fields)),
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX prompts_by_project ON prompts(project_id, created_at);

  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
    project_id TEXT REFERENCES projects(id) ON DELETE CASCADE,
    params TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
    progress TEXT CHECK (progress IS NULL OR json_valid(progress)),
    result TEXT CHECK (result IS NULL OR json_valid(result)),
    error TEXT CHECK (error IS NULL OR json_valid(error)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX jobs_by_state ON jobs(state, created_at);
  CREATE INDEX jobs_by_project ON jobs(project_id);

  -- One rendered image. Everything needed to make it again is here: the prompt as sent, the flat
  -- version, the variant, alpha (and whether the studio computed it), seed, steps, scheduler, the
  -- pack id and version, the execution provider, and every other parameter in params.
  CREATE TABLE generations (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    job_id TEXT REFERENCES jobs(id) ON DELETE SET NULL,
    flat_id TEXT REFERENCES flats(id) ON DELETE SET NULL,
    flat_version INTEGER,
    prompt_id TEXT REFERENCES prompts(id) ON DELETE SET NULL,
    prompt TEXT NOT NULL,
    negative_prompt TEXT,
    variant TEXT NOT NULL CHECK (variant IN ('image-biased', 'text-biased')),
    alpha REAL NOT NULL CHECK (alpha >= 0 AND alpha <= 1),
    alpha_auto INTEGER NOT NULL DEFAULT 0 CHECK (alpha_auto IN (0, 1)),
    seed INTEGER NOT NULL CHECK (seed >= 0),
    steps INTEGER NOT NULL CHECK (steps >= 1),
    guidance_scale REAL,
    width INTEGER NOT NULL DEFAULT 512 CHECK (width > 0),
    height INTEGER NOT NULL DEFAULT 512 CHECK (height > 0),
    scheduler TEXT NOT NULL,
    pack_id TEXT NOT NULL,
    pack_version TEXT NOT NULL,
    provider TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
    file_sha256 TEXT NOT NULL REFERENCES files(sha256),
    duration_ms INTEGER,
    favourite INTEGER NOT NULL DEFAULT 0 CHECK (favourite IN (0, 1)),
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX generations_by_project ON generations(project_id, created_at);
  CREATE INDEX generations_by_job ON generations(job_id);
  CREATE INDEX generations_by_flat ON generations(flat_id);
  CREATE INDEX generations_by_prompt ON generations(prompt_id);
  CREATE INDEX generations_by_file ON generations(file_sha256);

  CREATE TABLE motifs (
    id TEXT PRIMARY KEY,
    file_sha256 TEXT NOT NULL UNIQUE REFERENCES files(sha256),
    thumb_sha256 TEXT REFERENCES files(sha256),
    caption_zh TEXT,
    caption_en TEXT,
    source TEXT,
    licence TEXT,
    attributes TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes)),
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX motifs_by_thumb ON motifs(thumb_sha256);
  -- One row per motif, model and crop (crop 0 is the whole image). Vectors are little-endian
  -- float32 blobs whose length must agree with dim; a search reads one model's rows, hence the index.
  CREATE TABLE motif_embeddings (
    motif_id TEXT NOT NULL REFERENCES motifs(id) ON DELETE CASCADE,
    pack_id TEXT NOT NULL,
    pack_version TEXT NOT NULL,
    dim INTEGER NOT NULL CHECK (dim > 0),
    crop INTEGER NOT NULL CHECK (crop >= 0),
    box TEXT CHECK (box IS NULL OR json_valid(box)),
    weight REAL,
    vector BLOB NOT NULL CHECK (length(vector) = 4 * dim),
    PRIMARY KEY (motif_id, pack_id, pack_version, crop)
  ) STRICT;
  CREATE INDEX motif_embeddings_by_model ON motif_embeddings(pack_id, pack_version, motif_id);

  CREATE TABLE techpacks (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    document TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(document)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX techpacks_by_project ON techpacks(project_id);
  CREATE TABLE techpack_revisions (
    techpack_id TEXT NOT NULL REFERENCES techpacks(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL CHECK (revision >= 1),
    snapshot TEXT NOT NULL CHECK (json_valid(snapshot)),
    file_sha256 TEXT REFERENCES files(sha256),
    created_at TEXT NOT NULL,
    PRIMARY KEY (techpack_id, revision)
  ) STRICT;
  CREATE INDEX techpack_revisions_by_file ON techpack_revisions(file_sha256);
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial library', sql: INITIAL },
  { version: 2, ...MOTIF_TEXT_MIGRATION },
  { version: 3, ...FLAT_HISTORY_MIGRATION },
  { version: 4, ...JOB_OWNERS_MIGRATION },
  { version: 5, ...GENERATION_SWATCH_MIGRATION },
  { version: 6, ...TECHPACK_EXPORTS_MIGRATION },
  { version: 7, ...MOTIF_TEXT_RESEGMENT_MIGRATION },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
