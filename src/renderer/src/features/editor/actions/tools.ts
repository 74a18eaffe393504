import { TOOLS } from '../canvas/tools';
import { defineAction } from './types';

/** One action per tool of the rail, on its Illustrator key. */
export const TOOL_ACTIONS = TOOLS.map((tool) =>
  defineAction({
    name: `tool-${tool.id}` as const,
    labelKey: `editor:tool.${tool.id}`,
    shortcuts: [tool.key],
    checked: (ctx) => ctx.tool === tool.id,
    perform: (ctx) => ctx.setTool(tool.id),
  }),
);

export const PEN_ACTIONS = [
  defineAction({
    name: 'pen-finish',
    labelKey: 'editor:action.finishPath',
    // Both end the pen's path open, keeping what was drawn, as Illustrator's do.
    shortcuts: ['Enter', 'Escape'],
    perform: (ctx) => ctx.canvas?.commitPen(),
  }),
] as const;
