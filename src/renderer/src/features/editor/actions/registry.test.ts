import { describe, expect, it } from 'vitest';
import {
  canRedo,
  canUndo,
  execute,
  itemBounds,
  redo,
  startEditing,
  undo,
  type FlatItem,
  type FlatState,
} from '../../../../../shared/flat';
import { sampleFlat } from '../../../../../shared/flat/testing/fixtures';
import { createI18n, LANGUAGES } from '../../../lib/i18n';
import type { ToolId } from '../canvas/tools';
import { actionForKey, EDITOR_ACTIONS, editorAction, invoke, isEnabled, pressKey, releaseKey } from './registry';
import { chordId, formatShortcut, parseShortcut, type KeyPress } from './shortcuts';
import type { ActionContext, CanvasHandle } from './types';

/** A key press as the browser reports it for a written shortcut. */
function keyPress(shortcut: string): KeyPress {
  const chord = parseShortcut(shortcut);
  const key = chord.shift && chord.key.length === 1 ? chord.key.toUpperCase() : chord.key;
  return { key, ctrlKey: chord.mod, metaKey: false, shiftKey: chord.shift, altKey: false };
}

/**
 * The editor over a real document and its command history (the same execute/undo/redo the session
 * runs), with the canvas reduced to a record of what it was asked: the canvas itself needs a browser.
 */
function editor(initiallySelected: string[] = []) {
  const original = sampleFlat();
  let state: FlatState = startEditing(original);
  let selected = initiallySelected;
  let tool: ToolId = 'select';
  let held: FlatItem[] = [];
  let guideSelected = false;
  const asked: string[] = [];
  const zooms: number[] = [];
  const delivered: { name: string; data: Blob }[] = [];
  const reported: unknown[] = [];
  let png: () => Promise<{ pngBase64: string; printScale: number }> = async () => ({ pngBase64: Buffer.from('png bytes').toString('base64'), printScale: 1 });
  const canvas: CanvasHandle = {
    select: (ids) => void (selected = ids),
    fit: () => void asked.push('fit'),
    zoomBy: (factor) => void zooms.push(factor),
    setSpace: (down) => void asked.push(down ? 'space down' : 'space up'),
    commitPen: () => void asked.push('commitPen'),
    deleteSelectedGuide: () => {
      const had = guideSelected;
      guideSelected = false;
      return had;
    },
  };
  // Built afresh for each key, as the session builds it on each render.
  const ctx = (): ActionContext => ({
    doc: state.doc,
    view: state.doc.views[0]!,
    selected,
    layerId: 'details',
    tool,
    canUndo: canUndo(state),
    canRedo: canRedo(state),
    canvas,
    clipboard: { items: () => held, hold: (items) => void (held = items) },
    run: (command) => {
      try {
        state = execute(state, command);
        return state.doc;
      } catch {
        return null;
      }
    },
    undo: () => void (state = undo(state)),
    redo: () => void (state = redo(state)),
    save: async () => void asked.push('save'),
    setTool: (next) => void (tool = next),
    pickTemplate: () => void asked.push('pickTemplate'),
    chooseSvgFile: () => void asked.push('chooseSvgFile'),
    calibrate: () => void asked.push('calibrate'),
    renderPng: () => png(),
    deliver: (name, data) => void delivered.push({ name, data }),
    report: (err) => void reported.push(err),
  });
  return {
    original,
    ctx,
    press: (shortcut: string) => pressKey(keyPress(shortcut), ctx()),
    run: (name: Parameters<typeof editorAction>[0]) => invoke(editorAction(name), ctx()),
    get doc() {
      return state.doc;
    },
    item: (id: string) => state.doc.views[0]!.items.find((i) => i.id === id),
    get selected() {
      return selected;
    },
    select: (ids: string[]) => void (selected = ids),
    get tool() {
      return tool;
    },
    get clipboard() {
      return held;
    },
    selectGuide: () => void (guideSelected = true),
    failPng: (err: Error) => void (png = () => Promise.reject(err)),
    reducedPng: (printScale: number) => void (png = async () => ({ pngBase64: Buffer.from('png bytes').toString('base64'), printScale })),
    asked,
    zooms,
    delivered,
    reported,
  };
}

const left = (item: FlatItem | undefined) => itemBounds(item!)!.minX;
const top = (item: FlatItem | undefined) => itemBounds(item!)!.minY;

describe('the editor action registry', () => {
  it('gives every action its own name and every shortcut to one action only', () => {
    const names = EDITOR_ACTIONS.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    const chords = EDITOR_ACTIONS.flatMap((a) => (a.shortcuts ?? []).map((s) => chordId(parseShortcut(s))));
    expect(chords.filter((c, k) => chords.indexOf(c) !== k)).toEqual([]);
  });

  it('finds each action by each of its shortcuts', () => {
    for (const action of EDITOR_ACTIONS) {
      for (const shortcut of action.shortcuts ?? []) expect(actionForKey(keyPress(shortcut))?.action.name, shortcut).toBe(action.name);
    }
  });

  it('keeps the keys the editor always had', () => {
    const named = (press: Partial<KeyPress> & { key: string }) =>
      actionForKey({ ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...press })?.action.name ?? null;
    expect(named({ key: 'z', ctrlKey: true })).toBe('undo');
    expect(named({ key: 'z', metaKey: true })).toBe('undo');
    expect(named({ key: 'Z', ctrlKey: true, shiftKey: true })).toBe('redo');
    expect(named({ key: 'y', ctrlKey: true })).toBe('redo');
    expect(named({ key: 'G', ctrlKey: true, shiftKey: true })).toBe('ungroup');
    // Keys that need Shift to be typed, and Illustrator's keys with Shift held, still count.
    expect(named({ key: '+', ctrlKey: true, shiftKey: true })).toBe('zoom-in');
    expect(named({ key: '~', shiftKey: true })).toBe('tool-curve');
    expect(named({ key: 'C', ctrlKey: true, shiftKey: true })).toBe('copy');
    expect(named({ key: 'V', shiftKey: true })).toBe('tool-select');
    expect(named({ key: 'ArrowRight', shiftKey: true })).toBe('nudge-right-far');
    expect(named({ key: ' ' })).toBe('pan-hold');
    expect(named({ key: 'Escape' })).toBe('pen-finish');
    // Ctrl makes a letter a command, not a tool; Alt with a letter is the system's.
    expect(named({ key: 'v', ctrlKey: true })).toBe('paste');
    expect(named({ key: 'v', altKey: true })).toBeNull();
    expect(named({ key: 'q' })).toBeNull();
  });

  it('labels every action in both languages and shows its shortcut as the platform writes it', () => {
    for (const lng of LANGUAGES) {
      const i18n = createI18n(lng);
      for (const action of EDITOR_ACTIONS) {
        for (const key of [action.labelKey, action.hintKey].filter((k) => k !== undefined)) expect(i18n.exists(key, { lng, fallbackLng: false }), `${lng} ${key}`).toBe(true);
      }
    }
    expect(formatShortcut('Mod+Shift+Z', false)).toBe('Ctrl+Shift+Z');
    expect(formatShortcut('Mod+Shift+Z', true)).toBe('⌘⇧Z');
    expect(formatShortcut('\\', false)).toBe('\\');
  });

  describe('enabled-when', () => {
    it('leaves the document alone when an action cannot run, but keeps Ctrl chords from the browser', () => {
      const ed = editor();
      expect(ed.press('Mod+C')).toBe(true);
      expect(ed.clipboard).toEqual([]);
      expect(ed.press('Mod+V')).toBe(true);
      expect(ed.press('Mod+Z')).toBe(true);
      expect(ed.press('Mod+G')).toBe(true);
      expect(ed.doc).toEqual(ed.original);
    });

    it('lets the arrows go on to other controls when nothing is selected', () => {
      const ed = editor();
      expect(ed.press('ArrowRight')).toBe(false);
      expect(ed.doc).toEqual(ed.original);
      ed.select(['pocket']);
      expect(ed.press('ArrowRight')).toBe(true);
    });

    it('offers grouping for two or more items, mirroring for a shape in a view with a centre line', () => {
      const ed = editor(['pocket']);
      expect(isEnabled(editorAction('group'), ed.ctx())).toBe(false);
      expect(isEnabled(editorAction('mirror-join'), ed.ctx())).toBe(true);
      ed.select(['button']);
      expect(isEnabled(editorAction('mirror-join'), ed.ctx())).toBe(false);
      expect(ed.run('mirror-twin')).toBe(false);
      expect(ed.doc).toEqual(ed.original);
      ed.select(['button', 'pocket']);
      expect(isEnabled(editorAction('group'), ed.ctx())).toBe(true);
    });
  });

  describe('perform, on a real document', () => {
    it('Delete removes the selection, unless a guide is selected', () => {
      const ed = editor(['pocket']);
      ed.selectGuide();
      ed.press('Delete');
      expect(ed.item('pocket')).toBeDefined();
      ed.press('Backspace');
      expect(ed.item('pocket')).toBeUndefined();
    });

    it('the arrows nudge by one unit, by ten with Shift', () => {
      const ed = editor(['pocket']);
      const [x, y] = [left(ed.item('pocket')), top(ed.item('pocket'))];
      ed.press('Shift+ArrowRight');
      ed.press('ArrowUp');
      expect(left(ed.item('pocket'))).toBeCloseTo(x + 10);
      expect(top(ed.item('pocket'))).toBeCloseTo(y - 1);
    });

    it('copy and paste put a copy beside the original on the active layer, each paste one step on', () => {
      const ed = editor(['panel']);
      ed.press('Mod+C');
      ed.select([]);
      ed.press('Mod+V');
      const first = ed.item(ed.selected[0]!)!;
      expect(first.id).toMatch(/^paste-/);
      expect(first.layerId).toBe('details');
      expect(left(first)).toBeCloseTo(left(ed.item('panel')) + 10);
      ed.press('Mod+V');
      expect(left(ed.item(ed.selected[0]!))).toBeCloseTo(left(ed.item('panel')) + 20);
    });

    it('Ctrl+D duplicates beside the original and selects the copy', () => {
      const ed = editor(['pocket']);
      ed.press('Mod+D');
      const copy = ed.item(ed.selected[0]!)!;
      expect(copy.id).toMatch(/^copy-/);
      expect(copy.layerId).toBe('details');
      expect(top(copy)).toBeCloseTo(top(ed.item('pocket')) + 10);
    });

    it('Ctrl+G groups, Ctrl+Shift+G ungroups and keeps the members selected', () => {
      const ed = editor(['panel', 'pocket']);
      ed.press('Mod+G');
      const group = ed.doc.views[0]!.groups[0]!;
      expect(group.memberIds).toEqual(['panel', 'pocket']);
      expect(ed.selected).toEqual([group.id]);
      ed.press('Mod+Shift+G');
      expect(ed.doc.views[0]!.groups).toEqual([]);
      expect(ed.selected).toEqual(['panel', 'pocket']);
    });

    it('undo and redo walk the command history', () => {
      const ed = editor(['pocket']);
      ed.press('Mod+D');
      const edited = ed.doc;
      ed.press('Mod+Z');
      expect(ed.doc).toEqual(ed.original);
      ed.press('Mod+Shift+Z');
      expect(ed.doc).toEqual(edited);
      ed.press('Mod+Z');
      ed.press('Mod+Y');
      expect(ed.doc).toEqual(edited);
    });

    it('mirrors a half outline into a whole panel, and a shape into a mirrored twin', () => {
      const ed = editor(['half']);
      ed.run('mirror-join');
      const half = ed.item('half')!;
      expect(half.type === 'shape' && half.role).toBe('panel');
      ed.select(['pocket']);
      ed.run('mirror-twin');
      const [twin] = ed.doc.views[0]!.twins;
      expect(twin?.source).toBe('pocket');
      // The pocket at x 70..90 mirrors across the centre line at x 100 to 110..130.
      expect(left(ed.item(twin!.target))).toBeCloseTo(110);
    });

    it('opens the calibration form while the view has something to measure', () => {
      const e = editor();
      expect(e.run('flat-calibrate')).toBe(true);
      expect(e.asked).toEqual(['calibrate']);
      e.ctx().run({ type: 'item.remove', viewId: 'front', ids: ['panel', 'half', 'pocket'] });
      expect(isEnabled(editorAction('flat-calibrate'), e.ctx())).toBe(false);
    });

    it('a tool key takes up the tool', () => {
      const ed = editor();
      ed.press('P');
      expect(ed.tool).toBe('pen');
      expect(editorAction('tool-pen').checked?.(ed.ctx())).toBe(true);
      expect(editorAction('tool-select').checked?.(ed.ctx())).toBe(false);
    });

    it('the view keys go to the canvas: fit, zoom, pan while Space is held, finish the path', () => {
      const ed = editor();
      ed.press('Mod+0');
      ed.press('Mod+=');
      ed.press('Mod+-');
      ed.press('Space');
      releaseKey({ key: ' ' }, ed.ctx());
      ed.press('Enter');
      expect(ed.asked).toEqual(['fit', 'space down', 'space up', 'commitPen']);
      expect(ed.zooms).toEqual([1.25, 0.8]);
    });

    it('saves on Ctrl+S and hands the view over as SVG or PNG, named after the flat', async () => {
      const ed = editor();
      ed.press('Mod+S');
      expect(ed.asked).toEqual(['save']);
      ed.run('flat-export-svg');
      ed.run('flat-export-png');
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(ed.delivered.map((f) => [f.name, f.data.type])).toEqual([
        ['Sample-flat-front.svg', 'image/svg+xml'],
        ['Sample-flat-front.png', 'image/png'],
      ]);
      expect(await ed.delivered[0]!.data.text()).toContain('<svg');
      expect(await ed.delivered[1]!.data.text()).toBe('png bytes');
      // A page too large for its real size comes at a print scale, and its name says which.
      ed.reducedPng(20);
      ed.run('flat-export-png');
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(ed.delivered[2]!.name).toBe('Sample-flat-front-1to20.png');
      ed.failPng(new Error('The renderer is busy.'));
      ed.run('flat-export-png');
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(ed.reported).toEqual([new Error('The renderer is busy.')]);
    });
  });
});
