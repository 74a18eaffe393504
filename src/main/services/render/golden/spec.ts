import type { Palette } from '../../../../shared/contract/render';
import type { ImageTile } from '../fabrics';
import { testFixture } from '../../../test-fixtures';

/** The repository's own fabric tiles (test-fixtures/, drawn by scripts/make-test-fixtures.ts). */
export const TILES_DIR = testFixture('textile_tiles', 'images');

export const DENIM = '11111111-1111-4111-8111-111111111111';
export const PLAID = '22222222-2222-4222-8222-222222222222';

/** The golden colorway: the shirt template, denim body, plaid pockets, a solid navy collar. */
export const GOLDEN = {
  template: 'shirt',
  size: 512,
  file: 'shirt-denim-plaid-512.png',
  tiles: [
    { id: DENIM, file: `${TILES_DIR}/darkdenim3.png`, widthCm: 6 },
    { id: PLAID, file: `${TILES_DIR}/plaid.png`, widthCm: 9 },
  ] satisfies ImageTile[],
  palette: { all: DENIM, 'front-pocket-25': PLAID, 'front-pocket-twin-26': PLAID, 'front-collar-12': '#1f2a44' } satisfies Palette,
};
