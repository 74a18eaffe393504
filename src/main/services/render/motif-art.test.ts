import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportSvg } from '../../../shared/flat/svg';
import type { FlatDocument, FlatItem } from '../../../shared/flat/schema';
import type { MotifArt } from '../../../shared/flat/svg';
import { AppError } from '../../../shared/contract/errors';
import { testFixture } from '../../test-fixtures';
import { ColorwayRenderer } from './colorway';
import { imageFabrics } from './fabrics';
import { motifArtFrom, motifsOf, type MotifArtSource } from './motif-art';
import { meanDiff, raw, squareFlat as flat, type Raw } from './testing/pixels';

/** A Northern Xiongnu brocade from the heritage sample: coloured, busy, far from white. */
const BROCADE = testFixture('heritage_motifs', 'images', 'brocade_bird_flower_xinjiang1000.jpg');
const MOTIF = '5a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const GONE = '6b2d3c4e-5f60-4b7c-8d9e-0f1a2b3c4d5e';
/** Page 150 x 150 mm rendered at 300 px: 2 px per mm. */
const PX_PER_MM = 2;

describe('prints and motif fills in the colorway', () => {
  let art: MotifArt;
  let source: MotifArtSource;
  let renderer: ColorwayRenderer;
  beforeAll(async () => {
    art = await motifArtFrom(fs.readFileSync(BROCADE));
    source = {
      art: async (id) => {
        if (id !== MOTIF) throw new AppError('NOT_FOUND', `No motif with id ${id}.`);
        return art;
      },
    };
    renderer = new ColorwayRenderer(await imageFabrics([]), source);
  });
  const render = async (doc: FlatDocument) => raw((await renderer.render(doc, {}, { size: 150 * PX_PER_MM, shading: false })).png);
  const artPng = () => Buffer.from(art.href.replace(/^data:image\/png;base64,/, ''), 'base64');

  it('a motif-filled panel shows the motif, repeated from the page origin at its repeat size', async () => {
    // 13 cm repeat: one motif spans x 0..130 mm, so the panel (10..140) shows the first repeat's body.
    const filled = flat((panel) => [{ ...panel, motifFill: { motifId: MOTIF, repeatCm: 13 } }]);
    const picture = await render(filled);
    const tileW = 130 * PX_PER_MM;
    const tileH = Math.round((tileW * art.height) / art.width);
    const motif = await raw(artPng(), { width: tileW, height: tileH });
    // Inside the panel and the first repeat, well clear of edges where resampling differs.
    const [x0, y0] = [15 * PX_PER_MM, 15 * PX_PER_MM];
    const w = 110 * PX_PER_MM;
    const h = Math.min(110 * PX_PER_MM, tileH - y0 - 10);
    const againstMotif = meanDiff(picture, x0, y0, motif, x0, y0, w, h);
    const plain = await render(flat([]));
    const againstWhite = meanDiff(picture, x0, y0, plain, x0, y0, w, h);
    // The render is the motif's pixels (to resampling), not the white panel it was before.
    expect(againstMotif).toBeLessThan(12);
    expect(againstWhite).toBeGreaterThan(4 * againstMotif);
    // Shifted by half a repeat, the same comparison fails: the repeat sits where the fill says.
    expect(meanDiff(picture, x0, y0, motif, x0 + 60, y0, w - 60, h)).toBeGreaterThan(2 * againstMotif);
  });

  it('a print shows the motif fitted inside its placement box, faded by its opacity', async () => {
    const side = 60;
    const print = (opacity: number): FlatItem => ({ id: 'p', layerId: 'l', name: '', type: 'print', motifId: MOTIF, at: { x: 75, y: 75 }, width: side, height: side, rotation: 0, opacity });
    const picture = await render(flat([print(1)]));
    // The artwork keeps its proportions: fitted to the box's width or height, centred.
    const k = Math.min(side / art.width, side / art.height) * PX_PER_MM;
    const [w, h] = [Math.round(art.width * k), Math.round(art.height * k)];
    const motif = await raw(artPng(), { width: w, height: h });
    const [x0, y0] = [Math.round(75 * PX_PER_MM - w / 2), Math.round(75 * PX_PER_MM - h / 2)];
    const inner = (r: Raw, ref: Raw, ox: number, oy: number) => meanDiff(r, x0 + 4, y0 + 4, ref, ox + 4, oy + 4, w - 8, h - 8);
    const onMotif = inner(picture, motif, 0, 0);
    expect(onMotif).toBeLessThan(12);
    expect(inner(picture, await render(flat([])), x0, y0)).toBeGreaterThan(4 * onMotif);
    // At half opacity the white panel shows through: nearer white than the full-strength print.
    const faded = await render(flat([print(0.5)]));
    const white = await render(flat([]));
    expect(inner(faded, white, x0, y0)).toBeLessThan(inner(picture, white, x0, y0) * 0.7);
  });

  it('a print whose motif is no longer in the library is drawn as its placement box, not an error', async () => {
    const doc = flat([{ id: 'p', layerId: 'l', name: '', type: 'print', motifId: GONE, at: { x: 75, y: 75 }, width: 40, height: 40, rotation: 0, opacity: 1 }]);
    expect(motifsOf(doc.views[0]!)).toEqual([GONE]);
    const picture = await render(doc);
    expect(picture.width).toBe(300);
  });
});

describe('prints in the SVG export', () => {
  const print: FlatItem = { id: 'p', layerId: 'l', name: 'Chest print', type: 'print', motifId: MOTIF, at: { x: 75, y: 60 }, width: 40, height: 30, rotation: 15, opacity: 0.7 };

  it('without artwork, marks the placement box and names the motif', () => {
    const svg = exportSvg(flat([print]));
    expect(svg).toMatch(/<g id="p" class="print" data-name="Chest print" data-motif="5a1c2b3d-[^"]*" transform="translate\(75 60\) rotate\(15\)">/);
    expect(svg).toContain('<rect x="-20" y="-15" width="40" height="30"');
    expect(svg).not.toContain('<image');
  });

  it('with artwork, embeds the image in the box and the fill as a pattern of the repeat size', () => {
    const arts = new Map([[MOTIF, { href: 'data:image/png;base64,AAAA', width: 200, height: 100 }]]);
    const doc = flat((panel) => [{ ...panel, motifFill: { motifId: MOTIF, repeatCm: 5, angle: 30 } }, print]);
    const svg = exportSvg(doc, { motifs: arts });
    expect(svg).toContain('<image x="-20" y="-15" width="40" height="30" href="data:image/png;base64,AAAA" preserveAspectRatio="xMidYMid meet" opacity="0.7"/>');
    // 5 cm = 50 mm wide, half as tall as the 2:1 artwork, turned 30 degrees.
    expect(svg).toContain('<pattern id="motif-fill-0" patternUnits="userSpaceOnUse" width="50" height="25" patternTransform="rotate(30)">');
    expect(svg).toMatch(/<path class="motif-fill" data-motif="5a1c2b3d-[^"]*" d="M10 10[^"]*" fill="url\(#motif-fill-0\)" stroke="none"\/>/);
    expect(svg).toContain('data-motif-fill="5a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" data-motif-repeat-cm="5"');
  });
});
