import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportSvg, loadFlat, type FlatDocument } from '../../../shared/flat';
import type { TechPackDocumentInput } from '../../../shared/techpack';
import { FlatStore, rasteriseToPng } from '../flats';
import { GenerationStore } from '../generations';
import { nowIso, type Library } from '../library';
import { findMotif } from '../motif/store';
import { testFixture } from '../../test-fixtures';
import { SwatchLibrary } from '../swatches';
import type { TechPackSources } from './sources';

/** Test fixtures: a project built from real parts (garment templates, fabric tiles, a heritage motif). */
const TEMPLATES = fileURLToPath(new URL('../../../../resources/templates', import.meta.url));
export const TILES = testFixture('textile_tiles', 'images');
export const MOTIFS = testFixture('heritage_motifs');

export function template(name: string): FlatDocument {
  return loadFlat(JSON.parse(fs.readFileSync(path.join(TEMPLATES, `${name}.json`), 'utf8')));
}

/** The stores the studio hands the tech pack, over one library. */
export function techPackSources(lib: Library): TechPackSources {
  return {
    projects: lib.projects,
    flats: new FlatStore(lib.db),
    swatches: new SwatchLibrary(lib),
    generations: new GenerationStore(lib.db),
    motifs: { find: (id) => findMotif(lib.db, id) },
  };
}

export function insertFlat(lib: Library, projectId: string, doc: FlatDocument): string {
  return new FlatStore(lib.db).create(projectId, doc).flat.id;
}

/**
 * A "render": the flat painted in the colorway's body colour, rasterised by resvg, recorded as the
 * engine records one (with the library swatch it used, if given).
 */
export async function insertRender(lib: Library, projectId: string, flat: FlatDocument, hex: string, seed: number, swatch?: { id: string; imageSha256: string }): Promise<string> {
  const painted = structuredClone(flat);
  for (const v of painted.views) for (const i of v.items) if (i.type === 'shape' && i.role === 'panel') i.style.fill = hex;
  const png = rasteriseToPng(exportSvg(painted, { viewId: 'front', background: '#f4f4f2' }), { width: 512 });
  const file = await lib.files.put(png, 'image/png');
  const id = randomUUID();
  new GenerationStore(lib.db).insert([
    {
      id,
      projectId,
      jobId: null,
      flatId: null,
      flatVersion: null,
      prompt: `a ${flat.name} in cotton jersey, studio photo 纯棉针织`,
      negativePrompt: '',
      variant: 'image-biased',
      alpha: 0.8,
      alphaAuto: true,
      seed,
      steps: 50,
      guidanceScale: 7.5,
      width: 512,
      height: 665,
      scheduler: 'ddim',
      packId: 'higarment-sd15',
      packVersion: '1.0.0',
      provider: 'cpu',
      // The engine names the photo it read by its file name, which for a library file is its sha256.
      params: { swatch: swatch?.imageSha256 ?? null },
      fileSha256: file.sha256,
      durationMs: 1000,
      swatchId: swatch?.id ?? null,
      createdAt: nowIso(),
    },
  ]);
  return id;
}

export async function insertMotif(lib: Library): Promise<string> {
  const line = fs.readFileSync(path.join(MOTIFS, 'captions.jsonl'), 'utf8').split('\n')[0]!;
  const m = JSON.parse(line) as { id: string; title_zh: string; title_en: string; author: string; license: string; image: string };
  const file = await lib.files.put(path.join(MOTIFS, m.image), 'image/jpeg');
  lib.db
    .prepare('INSERT INTO motifs (id, file_sha256, caption_zh, caption_en, source, licence, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(m.id, file.sha256, m.title_zh, m.title_en, `${m.author}, heritage_motifs`, m.license, nowIso());
  return m.id;
}

export interface SampleProject {
  projectId: string;
  flatId: string;
  swatchIds: string[];
  document: TechPackDocumentInput;
}

/** A t-shirt project: template flat with a bilingual callout and fabric on its panels, two swatches, two colorways with renders, a motif and a graded POM table. */
export async function sampleProject(lib: Library): Promise<SampleProject> {
  const project = lib.projects.create('锦绣 T-shirt SS27');
  const swatches = new SwatchLibrary(lib);
  const body = await swatches.import({
    path: path.join(TILES, 'black_denim.png'),
    name: 'Cotton jersey 纯棉汗布',
    projectId: project.id,
    bom: {
      fibreContent: [{ fibre: 'cotton', percent: 95 }, { fibre: 'elastane', percent: 5 }],
      construction: { kind: 'knit', structure: 'single-jersey' },
      weightGsm: 180,
      finish: 'enzyme wash',
      colour: { name: 'Ink navy', hex: '#1F2A44' },
      supplier: 'Suzhou Textiles Co.',
      reference: 'SJ-180-IN',
    },
  });
  const rib = await swatches.import({
    path: path.join(TILES, 'black_twill.png'),
    name: 'Rib 1x1 罗纹',
    projectId: project.id,
    bom: {
      fibreContent: [{ fibre: 'cotton', percent: 98 }, { fibre: 'elastane', percent: 2 }],
      construction: { kind: 'knit', structure: 'rib' },
      weightGsm: 240,
      colour: { name: 'Ecru', hex: '#EDE6D6' },
      supplier: 'Hangzhou Rib Mill',
      reference: 'RB-240',
    },
  });
  const flat = template('t-shirt');
  for (const view of flat.views) {
    for (const item of view.items) if (item.type === 'shape' && item.role === 'panel') item.fabric = { swatchId: body.id, angle: 0 };
    const layerId = view.layers[0]!.id;
    view.items.push({
      id: `${view.id}-callout-1`,
      layerId,
      name: '',
      type: 'callout',
      text: view.id === 'front' ? 'Neck rib 罗纹领 2 cm' : 'Back neck tape 后领织带',
      at: { x: 640, y: 110 },
      leader: [{ x: 635, y: 118 }, { x: 540, y: 175 }],
      fontSize: 18,
      colour: '#000000',
    });
  }
  const flatId = insertFlat(lib, project.id, flat);
  const navy = await insertRender(lib, project.id, flat, '#1F2A44', 42, body);
  const ecru = await insertRender(lib, project.id, flat, '#EDE6D6', 7);
  const motifId = await insertMotif(lib);
  const document: TechPackDocumentInput = {
    cover: {
      styleNumber: 'JX-SS27-001',
      name: 'Crew-neck tee 圆领T恤',
      season: 'SS27',
      brand: 'Jinxiu 锦绣',
      designer: 'Li Wei 李伟',
      createdDate: '2026-11-02',
      dueDate: '2027-01-15',
      status: 'sample',
    },
    colorways: [
      { id: 'cw-navy', name: 'Ink navy 藏青', code: 'C01', colours: [{ placement: 'Body', name: 'Ink navy', hex: '#1F2A44' }, { placement: 'Rib', name: 'Ink navy', hex: '#1F2A44' }], renderIds: [navy] },
      { id: 'cw-ecru', name: 'Ecru 米白', code: 'C02', colours: [{ placement: 'Body', name: 'Ecru', hex: '#EDE6D6' }, { placement: 'Rib', name: 'Ecru', hex: '#EDE6D6' }], renderIds: [ecru] },
    ],
    bom: {
      rows: [{ id: 'thread', material: 'Sewing thread 缝纫线', fibreContent: '100% polyester', construction: 'core-spun 40/2', colourName: 'Ink navy', colourHex: '#1F2A44', supplier: 'Coats', reference: 'Epic 120', placement: 'All seams', quantity: '180 m' }],
      overrides: { [`fabric:${body.id}`]: { quantity: '1.15 m' }, [`fabric:${rib.id}`]: { placement: 'Neck rib 领口', quantity: '0.08 m' } },
    },
    pom: {
      unit: 'cm',
      sizes: ['XS', 'S', 'M', 'L', 'XL'],
      baseSize: 'M',
      defaultTolerance: '1',
      descriptions: { 'HPS-CL': 'HPS to hem at centre 肩顶点至下摆' },
      gradeRules: [
        { code: 'HPS-CL', unit: 'cm', increments: ['1.5'] },
        { code: 'CH', unit: 'cm', increments: ['4', '4', '5', '5'] },
        { code: 'SL', unit: 'in', increments: ['0.375'] },
      ],
      rows: [
        { id: 'pom-ch', code: 'CH', description: 'Chest width 1 cm below armhole 胸围', value: '52.5', unit: 'cm', tolerance: '1' },
        { id: 'pom-sl', code: 'SL', description: 'Sleeve length from shoulder 袖长', value: '8.25', unit: 'in', tolerance: '0.25' },
        { id: 'pom-nw', code: 'NW', description: 'Neck width seam to seam 领宽', value: '17.8', unit: 'cm', tolerance: '0.5' },
      ],
    },
    constructionNotes: [
      { id: 'n1', title: 'Seams 缝份', text: 'All seams 4-thread overlock, 1 cm seam allowance. 所有缝份四线包缝，缝份 1 cm。' },
      { id: 'n2', title: 'Hems 下摆', text: 'Sleeve and body hem: 2.5 cm turn-up, twin-needle coverstitch 3/16 in gauge.' },
    ],
    motifs: [{ motifId, placement: 'Chest print 胸前印花' }],
    revisionNote: 'First issue to factory 首次发厂',
  };
  return { projectId: project.id, flatId, swatchIds: [body.id, rib.id], document };
}
