import { ARRANGE_ACTIONS, MIRROR_ACTIONS, NUDGE_ACTIONS } from './arrange';
import { CLIPBOARD_ACTIONS } from './clipboard';
import { FILE_ACTIONS } from './file';
import { HISTORY_ACTIONS } from './history';
import { chordMatches, parseShortcut, type Chord, type KeyPress } from './shortcuts';
import { SCALE_ACTIONS } from './scale';
import { PEN_ACTIONS, TOOL_ACTIONS } from './tools';
import type { ActionContext, EditorAction } from './types';
import { VIEW_ACTIONS } from './view';

/** Everything the flat editor can do; the toolbar, the tool rail and the keyboard all read it. */
export const EDITOR_ACTIONS = [
  ...FILE_ACTIONS,
  ...SCALE_ACTIONS,
  ...HISTORY_ACTIONS,
  ...CLIPBOARD_ACTIONS,
  ...ARRANGE_ACTIONS,
  ...NUDGE_ACTIONS,
  ...MIRROR_ACTIONS,
  ...VIEW_ACTIONS,
  ...PEN_ACTIONS,
  ...TOOL_ACTIONS,
];

export type ActionName = (typeof EDITOR_ACTIONS)[number]['name'];

const byName = new Map<string, EditorAction>(EDITOR_ACTIONS.map((a) => [a.name, a]));

export function editorAction(name: ActionName): EditorAction {
  return byName.get(name)!;
}

export const isEnabled = (action: EditorAction, ctx: ActionContext): boolean => action.enabledWhen?.(ctx) ?? true;

/** Performs the action if it can run now; whether it did. */
export function invoke(action: EditorAction, ctx: ActionContext): boolean {
  if (!isEnabled(action, ctx)) return false;
  void action.perform(ctx);
  return true;
}

const chords = (actions: readonly EditorAction[]) =>
  actions.flatMap((action) => (action.shortcuts ?? []).map((s) => ({ action, chord: parseShortcut(s) })));

/** The action a key press asks for, and the chord it matched; an exact chord wins over a loose one. */
export function actionForKey(press: KeyPress, actions: readonly EditorAction[] = EDITOR_ACTIONS): { action: EditorAction; chord: Chord } | null {
  const all = chords(actions);
  return all.find((c) => chordMatches(c.chord, press, true)) ?? all.find((c) => chordMatches(c.chord, press, false)) ?? null;
}

/**
 * Runs the action a key asks for; whether the key is used up (so the browser's own meaning of it, such
 * as Ctrl+S or Ctrl+D, does not happen). A Ctrl chord is the editor's even when its action cannot run
 * now; a plain key an action cannot use goes on to whatever else wants it (arrows to a slider).
 */
export function pressKey(press: KeyPress, ctx: ActionContext, actions: readonly EditorAction[] = EDITOR_ACTIONS): boolean {
  const hit = actionForKey(press, actions);
  if (!hit) return false;
  return invoke(hit.action, ctx) || hit.chord.mod;
}

/** A held key let go (Space ends panning), whatever else is held by then. */
export function releaseKey(press: Pick<KeyPress, 'key'>, ctx: ActionContext, actions: readonly EditorAction[] = EDITOR_ACTIONS): void {
  const key = press.key.toLowerCase();
  for (const { action, chord } of chords(actions)) if (action.release && chord.key === key) action.release(ctx);
}
