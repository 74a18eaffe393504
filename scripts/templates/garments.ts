import type { FlatAttributes, StitchType } from '../../src/shared/flat/schema';

/**
 * Measurements of the garment templates, in mm on the flat (widths across the whole flat, depths
 * down from the high point of the shoulder or the waist). Drawing proportions, not grading rules.
 */
export interface SleeveSpec {
  length: number;
  /** Angle of the sleeve's top line below horizontal, degrees. */
  angle: number;
  cuff: number;
  /** A cuff or rib band this deep at the sleeve end. */
  band: number;
}

export interface TopSpec {
  kind: 'top';
  neck: number;
  neckFront: number;
  neckBack: number;
  shoulder: number;
  drop: number;
  chest: number;
  armhole: number;
  waist?: { y: number; half: number; seam: boolean };
  hem: number;
  length: number;
  hemCurve: number;
  sleeve: SleeveSpec | null;
  hood?: { half: number; height: number };
  collar?: 'shirt' | 'rib' | 'stand' | 'lapel';
  closure: 'none' | 'buttons' | 'half-placket' | 'zip' | 'double-breasted';
  pockets: 'none' | 'chest' | 'kangaroo' | 'flap' | 'welt';
  hemBand: number;
  hemStitch: StitchType;
}

export interface BottomSpec {
  kind: 'bottom';
  waist: number;
  hip: number;
  hipDepth: number;
  length: number;
  band: number;
  /** Half width at the hem, outside and inside edge of the leg (skirt: only outside). */
  hemOut: number;
  hemIn?: number;
  crotch?: number;
  closure: 'fly' | 'side-zip' | 'back-zip' | 'elastic';
  pockets: 'none' | 'slant' | 'jeans' | 'patch';
  hemStitch: StitchType;
}

export interface TemplateSpec {
  id: string;
  name: string;
  attributes: FlatAttributes;
  shape: TopSpec | BottomSpec;
}

const attrs = (a: Partial<FlatAttributes> & Pick<FlatAttributes, 'category'>): FlatAttributes => ({
  sleeveLength: null,
  neckline: null,
  length: null,
  closure: null,
  pockets: null,
  tags: [],
  ...a,
});

const shortSleeve: SleeveSpec = { length: 190, angle: 38, cuff: 165, band: 0 };
const longSleeve = (band: number): SleeveSpec => ({ length: 580, angle: 70, cuff: 115, band });

export const TEMPLATES: TemplateSpec[] = [
  {
    id: 't-shirt',
    name: 'T-shirt',
    attributes: attrs({ category: 't-shirt', sleeveLength: 'short', neckline: 'crew', length: 'hip', closure: 'pullover', pockets: 'none', tags: ['jersey', 'basic'] }),
    shape: { kind: 'top', neck: 170, neckFront: 90, neckBack: 25, shoulder: 440, drop: 45, chest: 500, armhole: 230, hem: 500, length: 700, hemCurve: 0, sleeve: shortSleeve, collar: 'rib', closure: 'none', pockets: 'none', hemBand: 25, hemStitch: 'coverstitch' },
  },
  {
    id: 'shirt',
    name: 'Shirt',
    attributes: attrs({ category: 'shirt', sleeveLength: 'long', neckline: 'shirt collar', length: 'hip', closure: 'button front', pockets: 'chest patch', tags: ['woven', 'formal'] }),
    shape: { kind: 'top', neck: 160, neckFront: 70, neckBack: 20, shoulder: 460, drop: 40, chest: 540, armhole: 240, hem: 520, length: 780, hemCurve: 40, sleeve: longSleeve(60), collar: 'shirt', closure: 'buttons', pockets: 'chest', hemBand: 10, hemStitch: 'topstitch' },
  },
  {
    id: 'polo',
    name: 'Polo shirt',
    attributes: attrs({ category: 'polo', sleeveLength: 'short', neckline: 'polo collar', length: 'hip', closure: 'half placket', pockets: 'none', tags: ['pique', 'casual'] }),
    shape: { kind: 'top', neck: 165, neckFront: 60, neckBack: 20, shoulder: 450, drop: 42, chest: 520, armhole: 235, hem: 510, length: 720, hemCurve: 0, sleeve: { ...shortSleeve, band: 25 }, collar: 'rib', closure: 'half-placket', pockets: 'none', hemBand: 20, hemStitch: 'doubleNeedle' },
  },
  {
    id: 'hoodie',
    name: 'Hoodie',
    attributes: attrs({ category: 'hoodie', sleeveLength: 'long', neckline: 'hood', length: 'hip', closure: 'pullover', pockets: 'kangaroo', tags: ['fleece', 'casual'] }),
    shape: { kind: 'top', neck: 190, neckFront: 80, neckBack: 25, shoulder: 500, drop: 55, chest: 580, armhole: 260, hem: 520, length: 700, hemCurve: 0, sleeve: longSleeve(70), hood: { half: 160, height: 330 }, closure: 'none', pockets: 'kangaroo', hemBand: 70, hemStitch: 'coverstitch' },
  },
  {
    id: 'jacket',
    name: 'Zip jacket',
    attributes: attrs({ category: 'jacket', sleeveLength: 'long', neckline: 'stand collar', length: 'hip', closure: 'zip', pockets: 'welt', tags: ['outerwear'] }),
    shape: { kind: 'top', neck: 180, neckFront: 70, neckBack: 25, shoulder: 500, drop: 50, chest: 600, armhole: 270, hem: 580, length: 700, hemCurve: 0, sleeve: longSleeve(60), collar: 'stand', closure: 'zip', pockets: 'welt', hemBand: 60, hemStitch: 'topstitch' },
  },
  {
    id: 'coat',
    name: 'Coat',
    attributes: attrs({ category: 'coat', sleeveLength: 'long', neckline: 'notched lapel', length: 'knee', closure: 'double-breasted buttons', pockets: 'flap', tags: ['outerwear', 'wool'] }),
    shape: { kind: 'top', neck: 180, neckFront: 200, neckBack: 25, shoulder: 520, drop: 50, chest: 620, armhole: 280, hem: 700, length: 1000, hemCurve: 0, sleeve: longSleeve(0), collar: 'lapel', closure: 'double-breasted', pockets: 'flap', hemBand: 40, hemStitch: 'topstitch' },
  },
  {
    id: 'dress',
    name: 'Sleeveless dress',
    attributes: attrs({ category: 'dress', sleeveLength: 'none', neckline: 'scoop', length: 'knee', closure: 'back zip', pockets: 'none', tags: ['woven', 'a-line'] }),
    shape: { kind: 'top', neck: 200, neckFront: 140, neckBack: 60, shoulder: 340, drop: 35, chest: 470, armhole: 220, waist: { y: 400, half: 380, seam: true }, hem: 760, length: 1000, hemCurve: 30, sleeve: null, closure: 'none', pockets: 'none', hemBand: 25, hemStitch: 'topstitch' },
  },
  {
    id: 'skirt',
    name: 'A-line skirt',
    attributes: attrs({ category: 'skirt', sleeveLength: null, neckline: null, length: 'knee', closure: 'back zip', pockets: 'none', tags: ['woven', 'a-line'] }),
    shape: { kind: 'bottom', waist: 360, hip: 500, hipDepth: 200, length: 600, band: 40, hemOut: 640, closure: 'back-zip', pockets: 'none', hemStitch: 'topstitch' },
  },
  {
    id: 'trousers',
    name: 'Five-pocket trousers',
    attributes: attrs({ category: 'trousers', sleeveLength: null, neckline: null, length: 'full', closure: 'zip fly', pockets: 'five-pocket', tags: ['denim', 'jeans'] }),
    shape: { kind: 'bottom', waist: 400, hip: 500, hipDepth: 200, length: 1050, band: 40, hemOut: 460, hemIn: 60, crotch: 290, closure: 'fly', pockets: 'jeans', hemStitch: 'doubleNeedle' },
  },
  {
    id: 'shorts',
    name: 'Shorts',
    attributes: attrs({ category: 'shorts', sleeveLength: null, neckline: null, length: 'mid-thigh', closure: 'elastic waist', pockets: 'slant', tags: ['casual'] }),
    shape: { kind: 'bottom', waist: 420, hip: 520, hipDepth: 180, length: 470, band: 45, hemOut: 560, hemIn: 30, crotch: 300, closure: 'elastic', pockets: 'slant', hemStitch: 'coverstitch' },
  },
];
