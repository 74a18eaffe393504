import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../shared/contract/errors';
import { SWATCH_CM } from '../../shared/contract/swatches';
import { checkOutputFile, writeFileAtomic } from '../services/outputs';
import { IMAGE_SWATCH_ID, MAX_COLORWAY_PX, MIN_COLORWAY_PX, imageFabric, loadFlatArgument, withTileWidth, type ColorwayRenderer } from '../services/render';
import { colorwayRenderer } from '../studio';
import type { CliContext } from './context';
import { decimalOption, wholeNumberOption } from './options';

const SWATCH_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `jinxiu render`: one colorway of a flat, every panel cut from one swatch, prints drawn as in the studio. */
export function registerRenderCommand(program: Command, ctx: CliContext): void {
  program
    .command('render')
    .description('render a colorway: the flat with its panels cut from a swatch at true scale, as PNG')
    .requiredOption('--flat <flat>', 'a flat document (.json), a drawing (.svg) or a template id (e.g. shirt)')
    .requiredOption('--swatch <imageOrId>', 'a seamless tile image, or the id of a library swatch')
    .option('--swatch-cm <width>', `the tile's real width in cm, ${SWATCH_CM.min} to ${SWATCH_CM.max} (default: the swatch's recorded size, else 10)`, decimalOption('--swatch-cm', SWATCH_CM))
    .option('--view <view>', 'front or back', 'front')
    .option('--size <px>', `long side of the PNG, ${MIN_COLORWAY_PX} to ${MAX_COLORWAY_PX} px`, wholeNumberOption('--size', MIN_COLORWAY_PX, MAX_COLORWAY_PX), 1024)
    .option('--out <file>', 'the PNG to write', 'colorway.png')
    .action(async (opts: { flat: string; swatch: string; swatchCm?: number; view: string; size: number; out: string }, cmd: Command) => {
      if (opts.view !== 'front' && opts.view !== 'back') throw new AppError('INVALID_INPUT', `--view is front or back (got "${opts.view}").`);
      const widthCm = opts.swatchCm ?? null;
      const doc = await loadFlatArgument(opts.flat);
      const out = path.resolve(opts.out);
      await checkOutputFile(out);

      let colorways: ColorwayRenderer;
      let swatchId: string;
      if (fs.existsSync(opts.swatch)) {
        // A loose tile: the library is opened only if the flat paints a motif, whose artwork lives there.
        colorways = colorwayRenderer(await imageFabric(opts.swatch, widthCm), () => ctx.openStudio());
        swatchId = IMAGE_SWATCH_ID;
      } else if (SWATCH_ID.test(opts.swatch)) {
        const studio = ctx.openStudio();
        colorways = widthCm ? colorwayRenderer(withTileWidth(studio.fabrics, studio.swatches, widthCm), () => studio) : studio.colorways;
        swatchId = opts.swatch;
      } else {
        throw new AppError('NOT_FOUND', `--swatch "${opts.swatch}" is neither an image file nor a swatch id.`);
      }

      const colorway = await colorways.render(doc, { all: swatchId }, { viewId: opts.view, size: opts.size });
      await writeFileAtomic(out, colorway.png);
      const summary = { out, width: colorway.width, height: colorway.height, pxPerCm: colorway.pxPerCm, flat: doc.name, view: opts.view };
      if (cmd.optsWithGlobals().json) ctx.out(JSON.stringify(summary, null, 2));
      else ctx.out(`wrote ${out} (${colorway.width} x ${colorway.height} px, ${colorway.pxPerCm.toFixed(2)} px/cm, ${doc.name} ${opts.view})`);
    });
}
