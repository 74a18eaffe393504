import { defineAction } from './types';

/** Each step of Ctrl+= and Ctrl+- zooms by a quarter, as the wheel's steps do. */
const ZOOM_STEP = 1.25;

export const VIEW_ACTIONS = [
  defineAction({ name: 'zoom-fit', labelKey: 'editor:fit', shortcuts: ['Mod+0'], perform: (ctx) => ctx.canvas?.fit() }),
  defineAction({ name: 'zoom-in', labelKey: 'editor:action.zoomIn', shortcuts: ['Mod+=', 'Mod+Plus'], perform: (ctx) => ctx.canvas?.zoomBy(ZOOM_STEP) }),
  defineAction({ name: 'zoom-out', labelKey: 'editor:action.zoomOut', shortcuts: ['Mod+-'], perform: (ctx) => ctx.canvas?.zoomBy(1 / ZOOM_STEP) }),
  defineAction({
    name: 'pan-hold',
    labelKey: 'editor:action.pan',
    // Held down, whatever the tool: the hand until the key is let go, as in every vector editor.
    shortcuts: ['Space'],
    perform: (ctx) => ctx.canvas?.setSpace(true),
    release: (ctx) => ctx.canvas?.setSpace(false),
  }),
] as const;
