import { newId } from '../../../../../shared/flat';
import { defineAction, hasSelection, type ActionContext } from './types';

/** The group the selection belongs to: the group itself (just grouped) or any of its members. */
const selectedGroup = (ctx: ActionContext) => ctx.view.groups.find((g) => ctx.selected.some((id) => id === g.id || g.memberIds.includes(id)));

export const ARRANGE_ACTIONS = [
  defineAction({
    name: 'delete',
    labelKey: 'editor:action.delete',
    shortcuts: ['Delete', 'Backspace'],
    perform: (ctx) => {
      // A guide taken from a ruler goes first: it is selected on its own, apart from the items.
      if (ctx.canvas?.deleteSelectedGuide() || !ctx.selected.length) return;
      ctx.run({ type: 'item.remove', viewId: ctx.view.id, ids: [...ctx.selected] });
    },
  }),
  defineAction({
    name: 'group',
    labelKey: 'editor:action.group',
    shortcuts: ['Mod+G'],
    enabledWhen: (ctx) => ctx.selected.length >= 2,
    perform: (ctx) => {
      const id = newId('group');
      if (ctx.run({ type: 'group.create', viewId: ctx.view.id, id, memberIds: [...ctx.selected] })) ctx.canvas?.select([id]);
    },
  }),
  defineAction({
    name: 'ungroup',
    labelKey: 'editor:action.ungroup',
    shortcuts: ['Mod+Shift+G'],
    enabledWhen: (ctx) => selectedGroup(ctx) !== undefined,
    perform: (ctx) => {
      const group = selectedGroup(ctx);
      // Its members stay selected, each now on its own, as in Illustrator.
      if (group && ctx.run({ type: 'group.dissolve', viewId: ctx.view.id, id: group.id })) ctx.canvas?.select(group.memberIds);
    },
  }),
] as const;

const NUDGES = [
  { direction: 'left', key: 'ArrowLeft', dx: -1, dy: 0 },
  { direction: 'right', key: 'ArrowRight', dx: 1, dy: 0 },
  { direction: 'up', key: 'ArrowUp', dx: 0, dy: -1 },
  { direction: 'down', key: 'ArrowDown', dx: 0, dy: 1 },
] as const;
/** Shift moves ten times as far, as in Illustrator. */
const FAR = 10;

/**
 * The arrow keys move the selection one document unit, or ten with Shift. With nothing selected they
 * are not the editor's, so a slider elsewhere in the studio still takes them.
 */
export const NUDGE_ACTIONS = NUDGES.flatMap(({ direction, key, dx, dy }) =>
  ([1, FAR] as const).map((step) =>
    defineAction({
      name: `nudge-${direction}${step === FAR ? '-far' : ''}` as const,
      labelKey: `editor:action.nudge.${direction}${step === FAR ? 'Far' : ''}`,
      shortcuts: [step === FAR ? `Shift+${key}` : key],
      enabledWhen: hasSelection,
      perform: (ctx) => {
        ctx.run({ type: 'item.transform', viewId: ctx.view.id, ids: [...ctx.selected], matrix: [1, 0, 0, 1, dx * step, dy * step] });
      },
    }),
  ),
);

/** Only a shape can be mirrored, and only across a view's centre line. */
const mirrorable = (ctx: ActionContext) => ctx.view.axisX !== null && ctx.view.items.find((i) => i.id === ctx.selected[0])?.type === 'shape';

export const MIRROR_ACTIONS = [
  defineAction({
    name: 'mirror-join',
    labelKey: 'editor:mirrorJoin',
    hintKey: 'editor:mirrorJoinHint',
    enabledWhen: mirrorable,
    perform: (ctx) => {
      ctx.run({ type: 'mirror.join', viewId: ctx.view.id, shapeId: ctx.selected[0]! });
    },
  }),
  defineAction({
    name: 'mirror-twin',
    labelKey: 'editor:mirrorTwin',
    enabledWhen: mirrorable,
    perform: (ctx) => {
      ctx.run({ type: 'mirror.twin', viewId: ctx.view.id, shapeId: ctx.selected[0]!, newId: newId('shape'), twinId: newId('twin') });
    },
  }),
] as const;
