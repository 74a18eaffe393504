import { defineAction } from './types';

export const SCALE_ACTIONS = [
  defineAction({
    name: 'flat-calibrate',
    labelKey: 'editor:calibrate.action',
    hintKey: 'editor:calibrate.hint',
    // Calibrating measures something on the view: an outline or a point of measure.
    enabledWhen: (ctx) => ctx.view.items.some((i) => i.type === 'shape'),
    perform: (ctx) => ctx.calibrate(),
  }),
] as const;
