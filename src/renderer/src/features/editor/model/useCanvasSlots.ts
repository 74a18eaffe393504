import { useCallback, useMemo, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { Point, ViewId } from '../../../../../shared/flat';
import type { ControllerHost, EditorController, EditorSettings } from '../canvas/controller';

/** Front and back as two synced canvases side by side, or one canvas showing the chosen view. */
export type CanvasLayout = 'single' | 'split';
/** Which canvas: the one canvas, or one of front and back side by side. */
type CanvasSlot = 'single' | ViewId;

export interface TextAsk {
  at: Point;
  done(text: string): void;
}

interface Options {
  /** The view being edited. */
  viewId: ViewId;
  run: ControllerHost['run'];
  setSelected: Dispatch<SetStateAction<string[]>>;
  setAsk: Dispatch<SetStateAction<TextAsk | null>>;
  setSettings: Dispatch<SetStateAction<EditorSettings>>;
}

/**
 * The editor's canvases: one, or front and back side by side, of which the one pressed last takes the
 * keys and holds the selection. Each canvas gets a host (how it reports edits and selection) and a
 * ready callback (how it hands over its controller); the callbacks stay the same across renders, so
 * a canvas is built once.
 */
export function useCanvasSlots({ viewId, run, setSelected, setAsk, setSettings }: Options) {
  const [layout, setLayoutState] = useState<CanvasLayout>('single');
  // The canvas that takes the keys: the only one, or with two side by side the one pressed last.
  const active = useRef<EditorController | null>(null);
  const slots = useRef(new Map<CanvasSlot, EditorController>());
  const activeView = useRef<ViewId>(viewId);
  const layoutRef = useRef(layout);
  layoutRef.current = layout;
  const activeSlot = useCallback((): CanvasSlot => (layoutRef.current === 'split' ? activeView.current : 'single'), []);

  /** Makes a view the active one; the other canvas lets go of its selection, as only one view has one. */
  const activate = useCallback(
    (view: ViewId) => {
      if (layoutRef.current !== 'split' || activeView.current === view) return;
      const before = slots.current.get(activeView.current);
      activeView.current = view;
      active.current = slots.current.get(view) ?? null;
      before?.select([]);
      setSettings((s) => ({ ...s, viewId: view }));
    },
    [setSettings],
  );

  const hosts = useMemo(() => {
    const make = (slot: CanvasSlot): ControllerHost => ({
      run,
      selection: (ids: string[]) => {
        if (slot === activeSlot()) setSelected(ids);
      },
      askText: (at: Point, done: (text: string) => void) => setAsk({ at, done }),
      pickSwatch: (swatchId: string) => setSettings((s) => ({ ...s, swatchId })),
      activate: slot === 'single' ? undefined : () => activate(slot),
      // Side by side, both views pan and zoom together, so front and back stay comparable.
      viewport: slot === 'single' ? undefined : (v) => slots.current.get(slot === 'front' ? 'back' : 'front')?.setViewport(v),
    });
    return { single: make('single'), front: make('front'), back: make('back') };
  }, [run, activate, activeSlot, setSelected, setAsk, setSettings]);

  const readies = useMemo(() => {
    const make = (slot: CanvasSlot) => (c: EditorController | null) => {
      if (c) slots.current.set(slot, c);
      else if (slots.current.get(slot)) slots.current.delete(slot);
      active.current = slots.current.get(activeSlot()) ?? null;
    };
    return { single: make('single'), front: make('front'), back: make('back') };
  }, [activeSlot]);

  const setLayout = (next: CanvasLayout) => {
    // The canvas that stays active is the view being edited.
    activeView.current = viewId;
    setSelected([]);
    setLayoutState(next);
  };

  return { layout, setLayout, active, activate, hosts, readies };
}
