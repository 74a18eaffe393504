import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../shared/contract/errors';
import type { CliContext } from './context';
import { checkOutputFile, writeFileAtomic } from '../services/outputs';
import { SwatchLibrary } from '../services/swatches';
import { ColorwayRenderer, MAX_COLORWAY_PX, MIN_COLORWAY_PX } from '../services/render/colorway';
import { IMAGE_SWATCH_ID, LibraryFabrics, imageFabric, tileSizeCm, type FabricSource } from '../services/render/fabrics';
import { loadFlatArgument } from '../services/render/flat-input';

function positive(name: string, text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new AppError('INVALID_INPUT', `${name} takes a positive number (got "${text}").`);
  return n;
}

/** A library swatch whose real width is overridden from the command line (height keeps the tile's aspect). */
function withWidth(source: FabricSource, swatches: SwatchLibrary, widthCm: number): FabricSource {
  return {
    async tile(id) {
      const tile = await source.tile(id);
      return { ...tile, ...tileSizeCm(swatches.get(id).tile, widthCm, null) };
    },
  };
}

/** `jinxiu render`: one colorway of a flat, every panel cut from one swatch. */
export function registerRenderCommand(program: Command, ctx: CliContext): void {
  program
    .command('render')
    .description('render a colorway: the flat with its panels cut from a swatch at true scale, as PNG')
    .requiredOption('--flat <flat>', 'a flat document (.json), a drawing (.svg) or a template id (e.g. shirt)')
    .requiredOption('--swatch <imageOrId>', 'a seamless tile image, or the id of a library swatch')
    .option('--swatch-cm <width>', "the tile's real width in cm (default: the swatch's recorded size, else 10)")
    .option('--view <view>', 'front or back', 'front')
    .option('--size <px>', `long side of the PNG, ${MIN_COLORWAY_PX} to ${MAX_COLORWAY_PX} px`, '1024')
    .option('--out <file>', 'the PNG to write', 'colorway.png')
    .action(async (opts: { flat: string; swatch: string; swatchCm?: string; view: string; size: string; out: string }, cmd: Command) => {
      if (opts.view !== 'front' && opts.view !== 'back') throw new AppError('INVALID_INPUT', `--view is front or back (got "${opts.view}").`);
      const size = Number(opts.size);
      const widthCm = positive('--swatch-cm', opts.swatchCm);
      const doc = await loadFlatArgument(opts.flat);
      const out = path.resolve(opts.out);
      await checkOutputFile(out);

      let fabrics: FabricSource;
      let swatchId: string;
      if (fs.existsSync(opts.swatch)) {
        fabrics = await imageFabric(opts.swatch, widthCm);
        swatchId = IMAGE_SWATCH_ID;
      } else if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(opts.swatch)) {
        const { library } = ctx.openStudio();
        const swatches = new SwatchLibrary(library);
        const fromLibrary = new LibraryFabrics(swatches, library.files);
        fabrics = widthCm ? withWidth(fromLibrary, swatches, widthCm) : fromLibrary;
        swatchId = opts.swatch;
      } else {
        throw new AppError('NOT_FOUND', `--swatch "${opts.swatch}" is neither an image file nor a swatch id.`);
      }

      const colorway = await new ColorwayRenderer(fabrics).render(doc, { all: swatchId }, { viewId: opts.view, size });
      await writeFileAtomic(out, colorway.png);
      const summary = { out, width: colorway.width, height: colorway.height, pxPerCm: colorway.pxPerCm, flat: doc.name, view: opts.view };
      if (cmd.optsWithGlobals().json) ctx.out(JSON.stringify(summary, null, 2));
      else ctx.out(`wrote ${out} (${colorway.width} x ${colorway.height} px, ${colorway.pxPerCm.toFixed(2)} px/cm, ${doc.name} ${opts.view})`);
    });
}
