import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Motif } from '../../../../shared/contract';
import { applyCommand, itemBounds, loadFlat, type FlatDocument, type Shape } from '../../../../shared/flat';
import { createI18n } from '../../lib/i18n';
import { captionFor } from './caption';
import { carriesMotif, MOTIF_MIME, putMotifDrag, takeMotifDrag } from './drag';
import { dropChoice, motifDropCommand, motifDropCommandFor } from './editor-drop';
import { DEFAULT_REPEAT_CM, motifFillCommand, motifPrintCommand, panelAt, printMotifId, printName } from './print';
import { boxBetween } from './region';
import { flatRegionBox, renderSha } from './region-pickers';
import { libraryFileUrl } from '../../lib/library-url';
import { fuseRanks, pixelBoxToFractions, type MotifHit } from './search-source';

const templates = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../resources/templates');
const tshirt = (): FlatDocument => loadFlat(JSON.parse(fs.readFileSync(path.join(templates, 't-shirt.json'), 'utf8')));

/** Node has no DataTransfer (a browser object); this keeps its string-data part, which is all a drag uses. */
class Transfer {
  private data = new Map<string, string>();
  dropEffect = 'none';
  effectAllowed = 'all';
  get types(): string[] {
    return [...this.data.keys()];
  }
  setData(type: string, value: string): void {
    this.data.set(type, value);
  }
  getData(type: string): string {
    return this.data.get(type) ?? '';
  }
}
const transfer = () => new Transfer() as unknown as DataTransfer;

const MOTIF_ID = '3b2d1c4e-5f60-4a7b-8c9d-0e1f2a3b4c5d';

function motif(id: string, captions: Partial<Pick<Motif, 'captionZh' | 'captionEn'>> = {}): Motif {
  return {
    id,
    fileSha256: 'a'.repeat(64),
    thumbSha256: null,
    captionZh: captions.captionZh ?? null,
    captionEn: captions.captionEn ?? null,
    source: null,
    licence: null,
    attributes: { width: 400, height: 200 },
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}
const hit = (id: string, crop: MotifHit['bestCrop'] = null): MotifHit => ({ motif: motif(id), score: 0, bestCrop: crop, crops: crop ? [crop] : [] });

describe('motif panel strings', () => {
  it('come from the motifs namespace in both languages', async () => {
    const i18n = createI18n('zh');
    expect(i18n.t('motifs:title')).toBe('纹样检索');
    expect(i18n.t('motifs:results', { count: 3 })).toBe('3 个纹样');
    await i18n.changeLanguage('en');
    expect(i18n.t('motifs:results', { count: 3 })).toBe('3 motifs');
  });
});

describe('captions in the UI language', () => {
  it('prefer the UI language and fall back to the other', () => {
    const both = { captionZh: '莲花纹', captionEn: 'lotus motif' };
    expect(captionFor(both, 'zh')).toBe('莲花纹');
    expect(captionFor(both, 'en')).toBe('lotus motif');
    expect(captionFor({ captionZh: '龙纹', captionEn: null }, 'en')).toBe('龙纹');
    expect(captionFor({ captionZh: '  ', captionEn: 'dragon' }, 'zh')).toBe('dragon');
    expect(captionFor({ captionZh: null, captionEn: null }, 'zh')).toBeNull();
  });
});

describe('reciprocal rank fusion', () => {
  it('ranks a motif both lists found above one found by a single list, with 1/(k+rank) scores', () => {
    const crop = { box: [0, 0, 0.5, 0.5] as const, score: 0.3 };
    const captions = [hit('a'), hit('b'), hit('c')];
    const vectors = [hit('c', crop), hit('d', crop), hit('a', crop)];
    const fused = fuseRanks([captions, vectors], 10);
    expect(fused.map((h) => h.motif.id)).toEqual(['a', 'c', 'b', 'd']);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 1 / 63, 12);
    expect(fused[1]!.score).toBeCloseTo(1 / 63 + 1 / 61, 12);
    // A caption hit takes the crop its vector ranking found, for the heatmap.
    expect(fused[0]!.bestCrop).toEqual(crop);
    expect(fused.find((h) => h.motif.id === 'b')!.bestCrop).toBeNull();
    expect(fuseRanks([captions, vectors], 2)).toHaveLength(2);
  });
});

describe('crop boxes from image pixels', () => {
  it('become fractions of the image, clamped; degenerate or unsized ones are dropped', () => {
    expect(pixelBoxToFractions([100, 50, 300, 150], { width: 400, height: 200 })).toEqual([0.25, 0.25, 0.75, 0.75]);
    expect(pixelBoxToFractions([-10, 0, 500, 200], { width: 400, height: 200 })).toEqual([0, 0, 1, 1]);
    expect(pixelBoxToFractions([100, 50, 100, 150], { width: 400, height: 200 })).toBeNull();
    expect(pixelBoxToFractions([0, 0, 1, 1], null)).toBeNull();
    expect(pixelBoxToFractions(null, { width: 1, height: 1 })).toBeNull();
  });
});

describe('dragging a motif', () => {
  it('carries the motif id under its own MIME type and reads it back', () => {
    const data = transfer();
    putMotifDrag(data, { motifId: MOTIF_ID, caption: '莲花纹' });
    expect(carriesMotif(data)).toBe(true);
    expect(data.getData('text/plain')).toBe('莲花纹');
    expect(takeMotifDrag(data)).toEqual({ motifId: MOTIF_ID, caption: '莲花纹' });
  });

  it('refuses drops that are not a well-formed motif', () => {
    const plain = transfer();
    plain.setData('text/plain', 'hello');
    expect(carriesMotif(plain)).toBe(false);
    expect(takeMotifDrag(plain)).toBeNull();
    for (const bad of ['not json', '{"motifId":"../../etc"}', '[]', 'null']) {
      const data = transfer();
      data.setData(MOTIF_MIME, bad);
      expect(takeMotifDrag(data), bad).toBeNull();
    }
  });
});

describe('placing a motif print on the flat', () => {
  const front = () => tshirt().views.find((v) => v.id === 'front')!;

  it('finds the garment panel under a point, and none beside the garment', () => {
    const view = front();
    const body = view.items.find((i) => i.type === 'shape' && i.role === 'panel') as Shape;
    const box = itemBounds(body)!;
    expect(panelAt(view, { x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2 })?.id).toBe(body.id);
    expect(panelAt(view, { x: box.minX - 5, y: box.minY - 5 })).toBeNull();
  });

  it('adds a print inside the panel, just above it, that the document accepts and names the motif', () => {
    const doc = tshirt();
    const view = doc.views.find((v) => v.id === 'front')!;
    const body = view.items.find((i) => i.type === 'shape' && i.role === 'panel') as Shape;
    const box = itemBounds(body)!;
    // Dropped just above the hem, the print is pulled up inside the panel's bounds.
    const at = { x: (box.minX + box.maxX) / 2, y: box.maxY - 2 };
    const { command, panel } = motifPrintCommand(view, at, { motifId: MOTIF_ID, caption: 'Lotus' }, 'trims');
    expect(panel?.id).toBe(body.id);
    const after = applyCommand(doc, command).doc;
    const items = after.views.find((v) => v.id === 'front')!.items;
    const index = items.findIndex((i) => printMotifId(i) === MOTIF_ID);
    expect(items[index - 1]!.id).toBe(body.id);
    const print = items[index]!;
    expect(print.layerId).toBe(body.layerId);
    const p = itemBounds(print)!;
    expect(p.maxY).toBeCloseTo(box.maxY, 9);
    expect((p.minX + p.maxX) / 2).toBeCloseTo(at.x, 9);
    expect(p.maxX - p.minX).toBeCloseTo(Math.min(box.maxX - box.minX, box.maxY - box.minY) * 0.4, 6);
    expect(items).toHaveLength(view.items.length + 1);
  });

  it('turns a drop into the command, and nothing for a drop without a motif', () => {
    const view = front();
    const data = transfer();
    putMotifDrag(data, { motifId: MOTIF_ID, caption: 'Dragon' });
    const command = motifDropCommand(data, view, { x: 10, y: 10 }, 'trims');
    expect(command).toMatchObject({ type: 'print.add', viewId: 'front', layerId: 'trims', motifId: MOTIF_ID, name: 'Dragon' });
    expect(motifDropCommand(transfer(), view, { x: 10, y: 10 }, 'trims')).toBeNull();
  });

  it('names a print after its caption, a museum label cut after a whole word or anywhere in Chinese', () => {
    expect(printName('  Lotus   roundel ')).toBe('Lotus roundel');
    const label = 'Celadon plate with attached cloud and phoenix design Longquan Kiln, Yuan Dynasty (1279—1368), Shanghai Museum';
    const name = printName(label);
    expect(name).toBe('Celadon plate with attached cloud and phoenix…');
    expect(label.startsWith(name.slice(0, -1))).toBe(true);
    expect(printName('青釉露胎贴花卉凤纹盘 龙泉窑 元（1279〜1368） 上海博物馆 为使纹饰呈现色彩，盘上的凤纹在施釉之后贴上')).toBe('青釉露胎贴花卉凤纹盘 龙泉窑 元（1279〜1368） 上海博物馆…');
    // Without spaces, a Chinese label is cut at the limit, punctuation before the ellipsis dropped.
    const zh = '为使纹饰呈现色彩盘上的凤纹在施釉之后贴上露胎处烧成赭红色与青绿釉色相映是元代龙泉窑的典型做法器形规整釉色莹润';
    expect(Array.from(printName(zh))).toHaveLength(48);
    expect(zh.startsWith(printName(zh).slice(0, -1))).toBe(true);
  });

  it('Alt places a print, Shift fills the panel, a plain drop on a panel asks, beside the garment it places', () => {
    const none = { altKey: false, shiftKey: false };
    expect(dropChoice(none, true)).toBe('ask');
    expect(dropChoice({ ...none, altKey: true }, true)).toBe('print');
    expect(dropChoice({ ...none, shiftKey: true }, true)).toBe('fill');
    expect(dropChoice({ altKey: true, shiftKey: true }, false)).toBe('print');
  });

  it('fills the panel under the drop with the motif as a 10 cm repeat, and nothing beside the garment', () => {
    const doc = tshirt();
    const view = doc.views.find((v) => v.id === 'front')!;
    const body = view.items.find((i) => i.type === 'shape' && i.role === 'panel') as Shape;
    const box = itemBounds(body)!;
    const drag = { motifId: MOTIF_ID, caption: 'Lotus' };
    const command = motifDropCommandFor(drag, 'fill', view, { x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2 }, 'trims')!;
    const filled = applyCommand(doc, command).doc.views.find((v) => v.id === 'front')!.items.find((i) => i.id === body.id) as Shape;
    expect(filled.motifFill).toEqual({ motifId: MOTIF_ID, repeatCm: DEFAULT_REPEAT_CM, angle: 0 });
    expect(motifFillCommand(view, { x: box.minX - 5, y: box.minY - 5 }, drag)).toBeNull();
  });
});

describe('region boxes', () => {
  it('orders and clamps a dragged box, and refuses a click', () => {
    expect(boxBetween({ x: 0.8, y: 0.9 }, { x: 0.2, y: -0.1 })).toEqual([0.2, 0, 0.8, 0.9]);
    expect(boxBetween({ x: 0.5, y: 0.5 }, { x: 0.505, y: 0.9 })).toBeNull();
  });

  it('maps a box drawn on the canvas to the page through the viewport', () => {
    // Zoom 2, panned 100 px right and 50 px down, on an 800 x 600 canvas over a 400 x 300 page.
    const vpt = [2, 0, 0, 2, 100, 50] as const;
    const box = flatRegionBox([0.25, 0.25, 0.75, 0.75], { width: 800, height: 600 }, vpt, { width: 400, height: 300 });
    // Screen (200, 150) is document (50, 50); screen (600, 450) is document (250, 200).
    expect(box![0]).toBeCloseTo(50 / 400, 9);
    expect(box![1]).toBeCloseTo(50 / 300, 9);
    expect(box![2]).toBeCloseTo(250 / 400, 9);
    expect(box![3]).toBeCloseTo(200 / 300, 9);
    // A box wholly off the page leaves nothing to search.
    expect(flatRegionBox([0, 0, 0.1, 0.1], { width: 800, height: 600 }, [1, 0, 0, 1, 500, 500], { width: 400, height: 300 })).toBeNull();
  });
});

describe('render regions', () => {
  it('finds the render\'s library file in the URL it is shown from, under Electron and in the harness', () => {
    const sha = 'ab'.repeat(32);
    const electron = { jinxiu: {}, location: { hash: '' } } as unknown as Window;
    const harness = { location: { hash: '#token=c0ffee' } } as unknown as Window;
    expect(renderSha(libraryFileUrl(sha, electron))).toBe(sha);
    expect(renderSha(libraryFileUrl(sha, harness))).toBe(sha);
    expect(renderSha('data:image/png;base64,AAAA')).toBeNull();
  });
});
