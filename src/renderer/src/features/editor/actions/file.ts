import { exportSvg } from '../../../../../shared/flat';
import { base64ToBlob, fileStem } from '../model/files';
import { defineAction, type ActionContext } from './types';

/** The tech pack's sheets are printed; 150 dpi is sharp on paper and small enough to mail. */
const PNG_DPI = 150;

const fileName = (ctx: ActionContext, extension: string) => `${fileStem(ctx.doc.name)}-${ctx.view.id}.${extension}`;

export const FILE_ACTIONS = [
  defineAction({ name: 'flat-new', labelKey: 'editor:new', perform: (ctx) => ctx.pickTemplate() }),
  defineAction({ name: 'flat-import', labelKey: 'editor:importSvg', perform: (ctx) => ctx.chooseSvgFile() }),
  defineAction({
    name: 'flat-export-svg',
    labelKey: 'editor:exportSvg',
    perform: (ctx) => ctx.deliver(fileName(ctx, 'svg'), new Blob([exportSvg(ctx.doc, { viewId: ctx.view.id })], { type: 'image/svg+xml' })),
  }),
  defineAction({
    name: 'flat-export-png',
    labelKey: 'editor:exportPng',
    perform: async (ctx) => {
      try {
        const { pngBase64, printScale } = await ctx.renderPng(ctx.doc, ctx.view.id, PNG_DPI);
        // A page too large for real size (a calibrated flat's can be metres) comes reduced; the name says so.
        const name = printScale === 1 ? fileName(ctx, 'png') : fileName(ctx, 'png').replace(/\.png$/, `-1to${printScale}.png`);
        ctx.deliver(name, base64ToBlob(pngBase64, 'image/png'));
      } catch (err) {
        ctx.report(err);
      }
    },
  }),
  defineAction({ name: 'flat-save', labelKey: 'editor:action.save', shortcuts: ['Mod+S'], perform: (ctx) => void ctx.save() }),
] as const;
