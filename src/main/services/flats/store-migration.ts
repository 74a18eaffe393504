/**
 * Migration giving each flat its undo history. The history belongs to the head version only (it is
 * the path that reached it), so it lives on `flats`, not on every row of `flat_versions`. Listed in
 * library/migrations.ts; it must not import the library, which imports it.
 */
export const FLAT_HISTORY_MIGRATION = {
  name: 'flat undo history',
  sql: `
    ALTER TABLE flats ADD COLUMN history TEXT CHECK (history IS NULL OR json_valid(history));
    CREATE INDEX flat_versions_by_label ON flat_versions(flat_id, label);
  `,
};
