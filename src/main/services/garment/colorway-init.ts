import path from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { colourEntry, extractPrompt, pickSwatch, type SwatchCandidate } from '../../../shared/fabric';
import type { Swatch, SwatchQuery } from '../../../shared/contract/swatches';
import type { FlatDocument } from '../../../shared/flat';
import { ColorwayRenderer, IMAGE_SWATCH_ID, imageFabric, type Palette } from '../render';
import type { Rgb8 } from './png';
import { fitInitImage } from './preprocess';

/** What the init colorway was painted with, for run.json and the history. */
export type ColorwaySourceRecord =
  | { from: 'swatch'; swatchId: string }
  | { from: 'swatch-file'; file: string }
  | { from: 'prompt-swatch'; swatchId: string; fabric: string }
  | { from: 'prompt-colour'; colour: string; hex: string }
  | { from: 'flat' };

/** The init image of a "start from the colorway" render and what it was painted with. */
export interface ColorwayInit {
  image: Rgb8;
  source: ColorwaySourceRecord;
}

export interface ColorwayPick {
  flat: FlatDocument;
  prompt: string;
  /** A library swatch chosen for the render: drawn at its recorded size. */
  swatchId?: string;
  /** A loose swatch photo (the CLI's --swatch): drawn at the assumed tile width. */
  swatchPath?: string;
  /** Whose swatches the prompt may pick from; the whole library without one. */
  projectId?: string;
}

/** What the colorway needs of the library: its renderer (swatches at true scale) and its swatches. */
export interface ColorwayLibrary {
  renderer(): ColorwayRenderer;
  candidates(projectId: string | undefined): SwatchCandidate[];
}

/** Every swatch of the library as the prompt linker sees them (a render outside any project: the CLI). */
export function librarySwatchCandidates(swatches: { list(query: SwatchQuery): Swatch[] }): SwatchCandidate[] {
  return swatches.list({ limit: 1000 }).map((s) => ({ id: s.id, name: s.name, category: s.category, colourHex: s.bom.colour?.hex ?? s.dominantColours[0]?.hex ?? null }));
}

/**
 * The flat's colorway as image-to-image's start, at the pack's output size: the chosen swatch at true
 * scale; else the swatch of the library that the prompt's fabric (and colour) picks, as the prompt
 * panel links it; else the prompt's first colour as a solid; else the flat's own fabrics. The render
 * is the colorway renderer's own (shading, seams and trims over the fabric), stretched to the size
 * as the line art is, so the two line up.
 */
export async function colorwayInitImage(pick: ColorwayPick, size: { width: number; height: number }, library: ColorwayLibrary): Promise<ColorwayInit> {
  let renderer = library.renderer();
  let palette: Palette = {};
  let source: ColorwaySourceRecord = { from: 'flat' };
  if (pick.swatchId) {
    palette = { all: pick.swatchId };
    source = { from: 'swatch', swatchId: pick.swatchId };
  } else if (pick.swatchPath) {
    renderer = new ColorwayRenderer(await imageFabric(pick.swatchPath, null));
    palette = { all: IMAGE_SWATCH_ID };
    source = { from: 'swatch-file', file: path.basename(pick.swatchPath) };
  } else {
    const extraction = extractPrompt(pick.prompt);
    const link = pickSwatch(extraction.fabric, library.candidates(pick.projectId), extraction.colours);
    const colour = extraction.colours[0];
    if (link) {
      palette = { all: link.swatchId };
      source = { from: 'prompt-swatch', swatchId: link.swatchId, fabric: link.fabric };
    } else if (colour) {
      const hex = colourEntry(colour).hex.toLowerCase();
      palette = { all: hex };
      source = { from: 'prompt-colour', colour, hex };
    }
  }
  const render = await renderer.render(pick.flat, palette, { size: Math.max(size.width, size.height), background: '#ffffff' }).catch((err: unknown) => {
    if (err instanceof AppError) throw new AppError(err.code, `The colorway to start from could not be drawn: ${err.message}`);
    throw err;
  });
  return { image: await fitInitImage(render.png, size.width, size.height), source };
}
