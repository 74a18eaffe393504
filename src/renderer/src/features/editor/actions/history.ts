import { defineAction } from './types';

export const HISTORY_ACTIONS = [
  defineAction({
    name: 'undo',
    labelKey: 'editor:action.undo',
    shortcuts: ['Mod+Z'],
    enabledWhen: (ctx) => ctx.canUndo,
    perform: (ctx) => ctx.undo(),
  }),
  defineAction({
    name: 'redo',
    labelKey: 'editor:action.redo',
    shortcuts: ['Mod+Shift+Z', 'Mod+Y'],
    enabledWhen: (ctx) => ctx.canRedo,
    perform: (ctx) => ctx.redo(),
  }),
] as const;
