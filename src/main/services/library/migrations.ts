/**
 * Versioned schema of library.sqlite. `PRAGMA user_version` holds the number of migrations applied.
 * Append only: a released migration is never edited, a change is a new entry.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial library',
    sql: `
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      -- Content-addressed file store: the bytes live on disk under files/ab/abcdef..., keyed by sha256.
      CREATE TABLE files (
        sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        size INTEGER NOT NULL CHECK (size >= 0),
        mime TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      -- A flat is a versioned JSON document; every saved state is a row of flat_versions.
      CREATE TABLE flats (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        head_version INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE flat_versions (
        flat_id TEXT NOT NULL REFERENCES flats(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        label TEXT,
        document TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (flat_id, version)
      );

      CREATE TABLE swatches (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        category TEXT,
        image_sha256 TEXT REFERENCES files(sha256),
        tile_sha256 TEXT REFERENCES files(sha256),
        width_cm REAL,
        height_cm REAL,
        attributes TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE project_swatches (
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        swatch_id TEXT NOT NULL REFERENCES swatches(id) ON DELETE CASCADE,
        PRIMARY KEY (project_id, swatch_id)
      );

      CREATE TABLE prompts (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        language TEXT,
        fields TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
      );

      CREATE TABLE generations (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        job_id TEXT REFERENCES jobs(id) ON DELETE SET NULL,
        flat_id TEXT REFERENCES flats(id) ON DELETE SET NULL,
        flat_version INTEGER,
        prompt TEXT NOT NULL,
        variant TEXT NOT NULL CHECK (variant IN ('image-biased', 'text-biased')),
        alpha REAL NOT NULL,
        alpha_auto INTEGER NOT NULL DEFAULT 0,
        seed INTEGER NOT NULL,
        steps INTEGER NOT NULL,
        scheduler TEXT NOT NULL,
        pack_id TEXT NOT NULL,
        pack_version TEXT NOT NULL,
        provider TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        file_sha256 TEXT NOT NULL REFERENCES files(sha256),
        duration_ms INTEGER,
        favourite INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE INDEX generations_by_project ON generations(project_id, created_at);

      CREATE TABLE motifs (
        id TEXT PRIMARY KEY,
        file_sha256 TEXT NOT NULL UNIQUE REFERENCES files(sha256),
        thumb_sha256 TEXT REFERENCES files(sha256),
        caption_zh TEXT,
        caption_en TEXT,
        source TEXT,
        licence TEXT,
        attributes TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
      );
      -- One row per motif, model and crop (crop 0 is the whole image). Vectors are float32 blobs.
      CREATE TABLE motif_embeddings (
        motif_id TEXT NOT NULL REFERENCES motifs(id) ON DELETE CASCADE,
        pack_id TEXT NOT NULL,
        pack_version TEXT NOT NULL,
        dim INTEGER NOT NULL,
        crop INTEGER NOT NULL,
        box TEXT,
        weight REAL,
        vector BLOB NOT NULL,
        PRIMARY KEY (motif_id, pack_id, pack_version, crop)
      );

      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
        project_id TEXT REFERENCES projects(id) ON DELETE CASCADE,
        params TEXT NOT NULL DEFAULT '{}',
        progress TEXT,
        result TEXT,
        error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX jobs_by_state ON jobs(state, created_at);

      CREATE TABLE techpacks (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        document TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE techpack_revisions (
        techpack_id TEXT NOT NULL REFERENCES techpacks(id) ON DELETE CASCADE,
        revision INTEGER NOT NULL,
        snapshot TEXT NOT NULL,
        file_sha256 TEXT REFERENCES files(sha256),
        created_at TEXT NOT NULL,
        PRIMARY KEY (techpack_id, revision)
      );
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
