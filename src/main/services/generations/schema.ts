/**
 * Migration giving each render the id of the library swatch it was rendered with. Listed in
 * library/migrations.ts; it must not import the library, which imports it.
 *
 * Until now the swatch was guessed from params.swatch, the basename of the photo the engine read (a
 * library file's sha256). Two swatches cut from one photo share that name, so the guess could name the
 * wrong one. Old rows get the id only where exactly one swatch has that photo; an ambiguous or foreign
 * file name stays NULL rather than be guessed. A deleted swatch sets the id back to NULL, as the old
 * lookup found nothing then either.
 */
export const GENERATION_SWATCH_MIGRATION = {
  name: 'generations record their swatch id',
  sql: `
    ALTER TABLE generations ADD COLUMN swatch_id TEXT REFERENCES swatches(id) ON DELETE SET NULL;
    CREATE INDEX generations_by_swatch ON generations(swatch_id);
    UPDATE generations SET swatch_id = (
      SELECT s.id FROM swatches s WHERE s.image_sha256 = json_extract(generations.params, '$.swatch')
    )
    WHERE (SELECT count(*) FROM swatches s WHERE s.image_sha256 = json_extract(generations.params, '$.swatch')) = 1;
  `,
};
