import { newId, transformItem, translate, type FlatItem, type FlatView } from '../../../../../shared/flat';
import { defineAction, hasSelection } from './types';

/** Copies land beside their originals, so that they can be seen and picked. */
const OFFSET = 10;

/** The selected items, a selected group standing for its members. */
function itemsById(view: FlatView, ids: readonly string[]): FlatItem[] {
  const wanted = new Set(ids.flatMap((id) => view.groups.find((g) => g.id === id)?.memberIds ?? [id]));
  return view.items.filter((i) => wanted.has(i.id));
}

export const CLIPBOARD_ACTIONS = [
  defineAction({
    name: 'copy',
    labelKey: 'editor:action.copy',
    shortcuts: ['Mod+C'],
    enabledWhen: hasSelection,
    perform: (ctx) => ctx.clipboard.hold(structuredClone(itemsById(ctx.view, ctx.selected))),
  }),
  defineAction({
    name: 'paste',
    labelKey: 'editor:action.paste',
    shortcuts: ['Mod+V'],
    enabledWhen: (ctx) => ctx.clipboard.items().length > 0,
    perform: (ctx) => {
      const items = ctx.clipboard.items().map((i) => ({ ...transformItem(i, translate(OFFSET, OFFSET)), id: newId('paste') }));
      const layerId = ctx.view.layers.some((l) => l.id === ctx.layerId) ? ctx.layerId : undefined;
      if (ctx.run({ type: 'items.paste', viewId: ctx.view.id, items, layerId })) {
        // The next paste steps on from this one, as in Illustrator.
        ctx.clipboard.hold(items);
        ctx.canvas?.select(items.map((i) => i.id));
      }
    },
  }),
  defineAction({
    name: 'duplicate',
    labelKey: 'editor:action.duplicate',
    shortcuts: ['Mod+D'],
    enabledWhen: hasSelection,
    perform: (ctx) => {
      const ids = itemsById(ctx.view, ctx.selected).map((i) => i.id);
      const newIds = ids.map(() => newId('copy'));
      if (ctx.run({ type: 'items.duplicate', viewId: ctx.view.id, ids, newIds, offset: { x: OFFSET, y: OFFSET } })) ctx.canvas?.select(newIds);
    },
  }),
] as const;
