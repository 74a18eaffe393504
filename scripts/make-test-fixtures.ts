/**
 * Writes the repository's test fixtures (test-fixtures/, described in its README.md):
 *   npx tsx scripts/make-test-fixtures.ts tiles     the fabric tiles, drawn here from seeded formulas
 *   npx tsx scripts/make-test-fixtures.ts samples   the heritage motifs and garment flats, taken from
 *                                                   ../shared/data (downscaled photos, flats as they are)
 * Tiles are the project's own work: the shared textile tiles carry per-pattern credits that cannot be
 * traced, so none of their pixels are used. Each tile bears the name of the shared tile it stands in for
 * in the tests, so a test reads the same with either folder. src/main/test-fixtures.test.ts checks that
 * the committed tiles are exactly what drawTile() makes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { mulberry32 } from '../src/shared/mulberry32';
import { sharedData } from '../src/main/shared-data';
import { testFixture } from '../src/main/test-fixtures';

type Rgb = [number, number, number];

export interface Tile {
  width: number;
  height: number;
  /** RGB, 8 bits per channel, rows top to bottom. */
  data: Buffer;
}

/**
 * A canvas whose every pattern wraps at the edges: every periodic term below has a whole number of
 * periods across the tile, so the tiles repeat without a seam, as a swatch tile must.
 */
class Canvas {
  readonly r: Float64Array;
  readonly g: Float64Array;
  readonly b: Float64Array;
  readonly random: () => number;
  constructor(
    readonly width: number,
    readonly height: number,
    seed: number,
    base: Rgb,
  ) {
    const n = width * height;
    this.r = new Float64Array(n).fill(base[0]);
    this.g = new Float64Array(n).fill(base[1]);
    this.b = new Float64Array(n).fill(base[2]);
    this.random = mulberry32(seed);
  }

  /** Blends colour into every pixel by the weight the function gives it (0 leaves it, 1 replaces it). */
  paint(colour: Rgb, weight: (x: number, y: number) => number): this {
    for (let y = 0; y < this.height; y++)
      for (let x = 0; x < this.width; x++) {
        const w = Math.max(0, Math.min(1, weight(x, y)));
        if (w === 0) continue;
        const i = y * this.width + x;
        this.r[i] = this.r[i]! * (1 - w) + colour[0] * w;
        this.g[i] = this.g[i]! * (1 - w) + colour[1] * w;
        this.b[i] = this.b[i]! * (1 - w) + colour[2] * w;
      }
    return this;
  }

  /** Adds the same lightness offset to the three channels. */
  shade(offset: (x: number, y: number) => number): this {
    for (let y = 0; y < this.height; y++)
      for (let x = 0; x < this.width; x++) {
        const i = y * this.width + x;
        const d = offset(x, y);
        this.r[i] = this.r[i]! + d;
        this.g[i] = this.g[i]! + d;
        this.b[i] = this.b[i]! + d;
      }
    return this;
  }

  /** Pixel grain: independent per pixel, so it wraps like any other pixel pair. */
  grain(amplitude: number): this {
    const values = Array.from({ length: this.width * this.height }, () => (this.random() * 2 - 1) * amplitude);
    return this.shade((x, y) => values[y * this.width + x]!);
  }

  /** Smooth mottling: value noise on a cells x cells lattice that wraps around the tile. */
  mottle(cells: number, amplitude: number): this {
    const lattice = Array.from({ length: cells * cells }, () => this.random() * 2 - 1);
    const at = (i: number, j: number) => lattice[((j + cells) % cells) * cells + ((i + cells) % cells)]!;
    const smooth = (t: number) => t * t * (3 - 2 * t);
    return this.shade((x, y) => {
      const u = (x / this.width) * cells;
      const v = (y / this.height) * cells;
      const i = Math.floor(u);
      const j = Math.floor(v);
      const fu = smooth(u - i);
      const fv = smooth(v - j);
      const top = at(i, j) * (1 - fu) + at(i + 1, j) * fu;
      const bottom = at(i, j + 1) * (1 - fu) + at(i + 1, j + 1) * fu;
      return amplitude * (top * (1 - fv) + bottom * fv);
    });
  }

  /** One random value per row or column, for slubs and uneven yarns. */
  lines(count: number, amplitude: number): number[] {
    return Array.from({ length: count }, () => (this.random() * 2 - 1) * amplitude);
  }

  tile(): Tile {
    const data = Buffer.alloc(this.width * this.height * 3);
    const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
    for (let i = 0; i < this.width * this.height; i++) {
      data[i * 3] = clamp(this.r[i]!);
      data[i * 3 + 1] = clamp(this.g[i]!);
      data[i * 3 + 2] = clamp(this.b[i]!);
    }
    return { width: this.width, height: this.height, data };
  }
}

/** A twill: along each pick the weft shows on weftShare of every period ends, one end further on the next pick, which draws the diagonal. */
function twill(c: Canvas, warp: Rgb, weft: Rgb, period: number, weftShare = 0.25): Canvas {
  return c.paint(warp, () => 1).paint(weft, (x, y) => (((x + y) % period) / period < weftShare ? 1 : 0));
}

function denim(width: number, height: number, seed: number, warp: Rgb, weft: Rgb): Tile {
  const c = twill(new Canvas(width, height, seed, warp), warp, weft, 5, 0.4);
  const rows = c.lines(height, 10);
  return c.shade((_, y) => rows[y]!).mottle(5, 8).grain(3).tile();
}

function linen(width: number, height: number, seed: number, base: Rgb): Tile {
  const c = new Canvas(width, height, seed, base);
  const rows = c.lines(height, 14);
  const cols = c.lines(width, 14);
  return c
    .shade((x, y) => (rows[y]! + cols[x]!) / 2 + ((x + y) % 2 === 0 ? 4 : -4))
    .mottle(4, 6)
    .grain(3)
    .tile();
}

function leather(width: number, height: number, seed: number, base: Rgb): Tile {
  const c = new Canvas(width, height, seed, base);
  return c.mottle(16, 10).mottle(8, 8).mottle(4, 6).grain(2).tile();
}

/** The colour at t (pixels) of a repeat of bands along one axis; null is the ground. */
function bandAt(bands: { width: number; colour: Rgb | null }[], t: number): Rgb | null {
  let from = 0;
  for (const band of bands) {
    if (t < from + band.width) return band.colour;
    from += band.width;
  }
  throw new Error(`bands cover ${from} px, not ${t + 1}`);
}

const INDIGO: Rgb = [44, 68, 118];

/** The tiles, by the name of the shared tile each stands in for in the tests. */
export const TILES: Record<string, () => Tile> = {
  denim: () => denim(135, 135, 1, INDIGO, [150, 165, 190]),
  black_denim: () => denim(145, 145, 2, [14, 14, 17], [38, 38, 44]),
  darkdenim3: () => denim(160, 120, 3, [28, 40, 78], [96, 110, 140]),
  gray_jean: () => denim(150, 150, 4, [104, 110, 122], [170, 174, 182]),
  linen: () => linen(160, 120, 5, [214, 198, 168]),
  black_linen_v2: () => linen(128, 128, 6, [46, 45, 44]),
  tweed: () => {
    const side = 160;
    const c = twill(new Canvas(side, side, 7, [84, 82, 80]), [84, 82, 80], [108, 104, 98], 4, 0.5);
    const flecks: Rgb[] = [[150, 60, 50], [60, 110, 140], [190, 170, 120], [40, 40, 40]];
    const spots = Array.from({ length: side * side }, () => (c.random() < 0.05 ? Math.floor(c.random() * flecks.length) : -1));
    for (const [k, colour] of flecks.entries()) c.paint(colour, (x, y) => (spots[y * side + x] === k ? 0.8 : 0));
    return c.mottle(5, 10).grain(4).tile();
  },
  pinstriped_suit: () => {
    const flannel: Rgb = [92, 94, 102];
    const c = twill(new Canvas(160, 120, 8, flannel), flannel, [102, 104, 112], 4, 0.5);
    return c.paint([196, 196, 204], (x) => (x % 20 === 10 ? 0.7 : 0)).mottle(4, 6).grain(2).tile();
  },
  dark_leather: () => leather(160, 160, 9, [82, 54, 38]),
  white_leather: () => leather(150, 150, 10, [236, 232, 224]),
  knitting250px: () => {
    // Stockinette: columns of V-shaped loops, 10 px wide and 8 px tall, shaded at their sides.
    const c = new Canvas(120, 120, 11, [150, 40, 48]);
    return c
      .shade((x, y) => {
        // Piecewise linear, no Math.sin: +, -, * and / give the same bits on every machine and Node version.
        const u = (x % 10) / 10;
        const v = ((y + (u < 0.5 ? u : 1 - u) * 8) % 8) / 8;
        return 9 * (Math.abs(2 * u - 1) - 0.5) + 16 * (1 - Math.abs(2 * v - 1)) - 8;
      })
      .mottle(5, 8)
      .grain(2)
      .tile();
  },
  blu_stripes: () => {
    // Uneven stripes, so the pattern's only period is the whole tile.
    const bands = [
      { width: 30, colour: null },
      { width: 14, colour: [52, 86, 160] as Rgb },
      { width: 10, colour: null },
      { width: 4, colour: [52, 86, 160] as Rgb },
      { width: 36, colour: null },
      { width: 6, colour: [120, 150, 205] as Rgb },
    ];
    const c = new Canvas(100, 100, 12, [240, 242, 246]);
    for (const colour of new Set(bands.map((b) => b.colour))) if (colour) c.paint(colour, (x) => (bandAt(bands, x) === colour ? 1 : 0));
    return c.grain(3).tile();
  },
  checkered_pattern: () => {
    // Gingham: a dark square where two dark bands cross, a mid tone where one passes over white.
    const c = new Canvas(72, 72, 13, [246, 244, 240]);
    const dark = (t: number) => t >= 36;
    return c
      .paint([176, 40, 44], (x, y) => (dark(x) && dark(y) ? 1 : dark(x) || dark(y) ? 0.5 : 0))
      .grain(3)
      .tile();
  },
  plaid: () => {
    const bands = [
      { width: 14, colour: [150, 30, 36] as Rgb },
      { width: 4, colour: [20, 30, 60] as Rgb },
      { width: 10, colour: [150, 30, 36] as Rgb },
      { width: 16, colour: [30, 80, 52] as Rgb },
      { width: 2, colour: [230, 200, 80] as Rgb },
      { width: 8, colour: [30, 80, 52] as Rgb },
    ];
    const c = new Canvas(54, 54, 14, [0, 0, 0]);
    // A plain weave shows the warp band's colour on half the crossings and the weft's on the other half.
    for (const band of bands) c.paint(band.colour!, (x, y) => (bandAt(bands, (x + y) % 2 === 0 ? x : y) === band.colour ? 1 : 0));
    return c.grain(4).tile();
  },
  argyle: () => {
    const c = new Canvas(96, 96, 15, [70, 90, 120]);
    const diamond = (x: number, y: number) => Math.abs((x % 48) - 24) / 24 + Math.abs((y % 48) - 24) / 24 <= 1;
    return c
      .paint([180, 150, 100], (x, y) => (diamond(x, y) ? 1 : 0))
      .paint([230, 230, 225], (x, y) => ((x + y) % 48 === 0 || (x - y + 96) % 48 === 0 ? 0.8 : 0))
      .grain(3)
      .tile();
  },
  black_twill: () => {
    const c = twill(new Canvas(28, 28, 16, [30, 30, 32]), [30, 30, 32], [60, 60, 64], 7, 0.43);
    return c.grain(3).tile();
  },
};

export function drawTile(name: string): Tile {
  const make = TILES[name];
  if (!make) throw new Error(`no fixture tile named ${name}`);
  return make();
}

/**
 * The heritage records the tests need, in the shared file's order: Buddhist bronzes near the top (the
 * tests take slices of 6, 8 and 12 from the top and search them for 佛), the six the motif e2e spec
 * picks, the brocade the print tests paint with, and ones that give caption search each concept it
 * tests (lotus, dragon, phoenix in a title and only in page text, peony, crane, fish, cloud, Shanghai
 * with and without a dragon).
 */
export const HERITAGE_IDS = [
  'agate_snuff_bottle_qing400',
  'amitabha_bronze_sui400',
  'amoghasiddha_buddha400',
  'bajixiangwen_baoyueping400',
  'blue_white_phoenix_ming1400',
  'brocade_bird_flower_xinjiang400',
  'celadon_cloud_phoenix_yuan400',
  'celadon_meiping_song400',
  'dragon_robe_qing400',
  'jacket_crane_qing400',
  'jade_dragon_hongshan400',
  'jade_egret_yuan400',
  'lianhuawen_wadang_nwei400',
  'miao_batik_bird400',
  'porcelain_bowl_lotus_yuan400',
  'vase_peony_jin400',
];
/** FreeSewing flats: aaron (the one the contract and e2e tests import), lucy (the largest export difference), shin. */
export const FLATS = ['aaron', 'lucy', 'shin'];
/** Long side of the copied motif photos: above the 224 px the motif pack reads, far below the ~1000 px originals. */
const MOTIF_SIDE = 240;

async function writeTiles(): Promise<void> {
  const dir = testFixture('textile_tiles', 'images');
  fs.mkdirSync(dir, { recursive: true });
  for (const name of Object.keys(TILES)) {
    const t = drawTile(name);
    await sharp(t.data, { raw: { width: t.width, height: t.height, channels: 3 } })
      .png({ compressionLevel: 9, adaptiveFiltering: true })
      .toFile(path.join(dir, `${name}.png`));
    console.log(`${name}.png ${t.width}x${t.height}`);
  }
}

async function copySamples(): Promise<void> {
  const heritage = sharedData('heritage_motifs');
  const records = fs
    .readFileSync(path.join(heritage, 'captions.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { id: string; image: string });
  const picked = records.filter((r) => HERITAGE_IDS.includes(r.id));
  if (picked.length !== HERITAGE_IDS.length) throw new Error(`found ${picked.length} of ${HERITAGE_IDS.length} heritage records`);
  const out = testFixture('heritage_motifs');
  fs.mkdirSync(path.join(out, 'images'), { recursive: true });
  for (const r of picked) {
    const photo = sharp(path.join(heritage, r.image)).resize(MOTIF_SIDE, MOTIF_SIDE, { fit: 'inside', withoutEnlargement: true });
    const target = path.join(out, r.image);
    await (r.image.endsWith('.png') ? photo.png({ compressionLevel: 9 }) : photo.jpeg({ quality: 78 })).toFile(target);
  }
  fs.writeFileSync(path.join(out, 'captions.jsonl'), picked.map((r) => JSON.stringify(r)).join('\n') + '\n');
  console.log(`heritage_motifs: ${picked.length} records`);

  const flats = sharedData('garment_flats');
  const flatsOut = testFixture('garment_flats');
  for (const sub of ['flats_svg', 'flats_png']) fs.mkdirSync(path.join(flatsOut, sub), { recursive: true });
  for (const name of FLATS) {
    fs.copyFileSync(path.join(flats, 'flats_svg', `${name}.svg`), path.join(flatsOut, 'flats_svg', `${name}.svg`));
    fs.copyFileSync(path.join(flats, 'flats_png', `${name}.png`), path.join(flatsOut, 'flats_png', `${name}.png`));
  }
  fs.copyFileSync(path.join(flats, 'LICENSE_freesewing_monorepo_MIT.txt'), path.join(flatsOut, 'LICENSE_freesewing_monorepo_MIT.txt'));
  console.log(`garment_flats: ${FLATS.join(', ')}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const what = process.argv[2];
  if (what === 'tiles') await writeTiles();
  else if (what === 'samples') await copySamples();
  else {
    console.error('usage: npx tsx scripts/make-test-fixtures.ts tiles|samples');
    process.exitCode = 2;
  }
}
