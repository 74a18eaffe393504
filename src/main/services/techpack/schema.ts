/**
 * Migration recording every tech-pack export under the revision it printed. Listed in
 * library/migrations.ts; it must not import the library, which imports it.
 *
 * A revision is a state of the tech-pack document: exporting it again unchanged (the PDF, then PNG
 * sheets for the factory's screen) prints the same revision. Until now only the revision was kept,
 * so two exports showed as one and the history could not say where either file went. Each export
 * written to disk is a row here: its format, where it went, how many files, and when.
 */
export const TECHPACK_EXPORTS_MIGRATION = {
  name: 'tech-pack exports listed under their revision',
  sql: `
    CREATE TABLE techpack_exports (
      techpack_id TEXT NOT NULL,
      revision INTEGER NOT NULL,
      format TEXT NOT NULL CHECK (format IN ('pdf', 'png')),
      path TEXT NOT NULL CHECK (length(path) > 0),
      files INTEGER NOT NULL CHECK (files >= 1),
      exported_at TEXT NOT NULL,
      FOREIGN KEY (techpack_id, revision) REFERENCES techpack_revisions(techpack_id, revision) ON DELETE CASCADE
    ) STRICT;
    CREATE INDEX techpack_exports_by_revision ON techpack_exports(techpack_id, revision);
  `,
};
