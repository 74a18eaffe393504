import type { Command } from 'commander';
import { AppError } from '../../shared/contract';
import type { Swatch, SwatchBomInput, SwatchGeometryInput } from '../../shared/contract/swatches';
import { FABRIC_IDS, type FabricId } from '../../shared/fabric';
import type { CliContext } from './context';
import { decimalOption, isPlainDecimal, isWholeNumber, type DecimalRange } from './options';

// The swatch contract's own limits (SwatchGeometrySchema, SwatchBomSchema), refused here by option
// name before the photo is read. The numbers inside --size-cm and --fibres are checked for notation
// only: the contract's messages say why a size or a share is out of range.
const ROTATE_DEG: DecimalRange = { min: -45, max: 45 };
const WEIGHT_GSM: DecimalRange = { min: 0, max: 2000, aboveMin: true };

/** "cotton:98,elastane:2" -> fibre content. */
export function parseFibres(text: string): Array<{ fibre: string; percent: number }> {
  return text.split(',').map((part) => {
    const m = /^\s*([^:]+?)\s*:\s*([^\s%]+)\s*%?\s*$/.exec(part);
    if (!m || !isPlainDecimal(m[2]!)) throw new AppError('INVALID_INPUT', `"${part.trim()}" is not fibre:percent (e.g. cotton:98,elastane:2).`);
    return { fibre: m[1]!, percent: Number(m[2]) };
  });
}

function parseCrop(text: string): { left: number; top: number; width: number; height: number } {
  const texts = text.split(',').map((p) => p.trim());
  const parts = texts.map(Number);
  if (texts.length !== 4 || !texts.every(isWholeNumber)) {
    throw new AppError('INVALID_INPUT', `--crop takes left,top,width,height in pixels, e.g. 10,10,400,300 (got "${text}").`);
  }
  const [left, top, width, height] = parts as [number, number, number, number];
  return { left, top, width, height };
}

function parseSize(text: string): { widthCm: number; heightCm: number } {
  const m = /^\s*([^\sx×*]+)\s*[x×*]\s*([^\sx×*]+)\s*$/i.exec(text);
  if (!m || !isPlainDecimal(m[1]!) || !isPlainDecimal(m[2]!)) throw new AppError('INVALID_INPUT', `--size-cm takes WIDTHxHEIGHT in centimetres, e.g. 10x10 (got "${text}").`);
  return { widthCm: Number(m[1]), heightCm: Number(m[2]) };
}

function line(s: Swatch): string {
  const colour = s.bom.colour ? `${s.bom.colour.name} ${s.bom.colour.hex}` : '-';
  const size = s.geometry.widthCm && s.geometry.heightCm ? `${s.geometry.widthCm}x${s.geometry.heightCm} cm` : 'size ?';
  return [s.id, s.name, s.category ?? '-', colour, size, s.bom.supplier ?? ''].join('  ').trimEnd();
}

/** `jinxiu swatches import|list`. */
export function registerSwatchCommands(program: Command, ctx: CliContext): void {
  const swatches = program.command('swatches').description('the fabric swatch library');
  const library = () => ctx.openStudio().swatches;
  const json = (cmd: Command) => Boolean(cmd.optsWithGlobals().json);

  swatches
    .command('import <photo>')
    .description('import a swatch photo (JPEG, PNG, WebP, TIFF) as a seamless tile')
    .option('--name <name>', 'swatch name (default: the file name)')
    .option('--category <fabric>', `fabric category: ${FABRIC_IDS.join(', ')}`)
    .option('--rotate <deg>', 'straighten by this angle, clockwise positive, -45 to 45', decimalOption('--rotate', ROTATE_DEG))
    .option('--crop <l,t,w,h>', 'crop in the straightened photo, pixels')
    .option('--size-cm <WxH>', 'real-world size of the crop, centimetres')
    .option('--tile <method>', 'offset-blend (default), mirror or none')
    .option('--fibres <list>', 'fibre content, e.g. cotton:98,elastane:2')
    .option('--weave <weave>', 'woven construction: plain, twill, satin, ...')
    .option('--knit <structure>', 'knit construction: single-jersey, rib, ...')
    .option('--gsm <n>', 'weight in g/m2, above 0 and up to 2000', decimalOption('--gsm', WEIGHT_GSM))
    .option('--finish <text>', 'finish (e.g. enzyme wash)')
    .option('--supplier <name>', 'supplier')
    .option('--reference <ref>', "supplier's reference")
    .option('--project <id>', 'also use it in this project')
    .action(async (photo: string, opts: Record<string, string | number | undefined>, cmd: Command) => {
      const geometry: SwatchGeometryInput = {};
      if (typeof opts.rotate === 'number') geometry.rotateDeg = opts.rotate;
      if (typeof opts.crop === 'string') geometry.crop = parseCrop(opts.crop);
      if (typeof opts.sizeCm === 'string') Object.assign(geometry, parseSize(opts.sizeCm));
      if (typeof opts.tile === 'string') geometry.tileMethod = opts.tile as SwatchGeometryInput['tileMethod'];
      const bom: SwatchBomInput = {};
      if (typeof opts.fibres === 'string') bom.fibreContent = parseFibres(opts.fibres);
      if (typeof opts.weave === 'string') bom.construction = { kind: 'woven', weave: opts.weave as 'plain' };
      if (typeof opts.knit === 'string') bom.construction = { kind: 'knit', structure: opts.knit as 'rib' };
      if (typeof opts.gsm === 'number') bom.weightGsm = opts.gsm;
      if (typeof opts.finish === 'string') bom.finish = opts.finish;
      if (typeof opts.supplier === 'string') bom.supplier = opts.supplier;
      if (typeof opts.reference === 'string') bom.reference = opts.reference;
      const swatch = await library().import({
        path: photo,
        ...(typeof opts.name === 'string' ? { name: opts.name } : {}),
        ...(typeof opts.category === 'string' ? { category: opts.category as FabricId } : {}),
        geometry,
        bom,
        ...(typeof opts.project === 'string' ? { projectId: opts.project } : {}),
      });
      ctx.out(json(cmd) ? JSON.stringify(swatch, null, 2) : `imported ${line(swatch)}`);
    });

  swatches
    .command('list')
    .description('list or search swatches')
    .option('--query <text>', 'free text: a fabric or colour word in either language, or part of a name')
    .option('--category <fabric>', 'fabric category')
    .option('--colour <colour>', 'a colour name or #rrggbb')
    .option('--supplier <name>', 'supplier')
    .option('--project <id>', 'only the swatches of this project')
    .action((opts: Record<string, string | undefined>, cmd: Command) => {
      const found = library().list({
        ...(opts.query ? { query: opts.query } : {}),
        ...(opts.category ? { category: opts.category as FabricId } : {}),
        ...(opts.colour ? { colour: opts.colour } : {}),
        ...(opts.supplier ? { supplier: opts.supplier } : {}),
        ...(opts.project ? { projectId: opts.project } : {}),
      });
      if (json(cmd)) return ctx.out(JSON.stringify(found, null, 2));
      if (found.length === 0) ctx.out('no swatches');
      for (const s of found) ctx.out(line(s));
    });
}
