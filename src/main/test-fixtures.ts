import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The small data the unit and e2e tests read, kept in the repository (test-fixtures/, see its
 * README.md for provenance and licences) so that a clone runs its tests with nothing beside it.
 * Its folders have the layout of the shared data (heritage_motifs/, garment_flats/,
 * textile_tiles/images/), which evaluations and benchmarks still read in full through shared-data.ts.
 */
export const TEST_FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-fixtures');

/** A path inside test-fixtures/, e.g. testFixture('textile_tiles', 'images', 'denim.png'). */
export function testFixture(...segments: string[]): string {
  return path.join(TEST_FIXTURES_DIR, ...segments);
}
