import { createContext, useContext } from 'react';

/**
 * A flat's zoom and pan as the editor left it: the canvas viewport transform [a, b, c, d, e, f] and
 * the size of the canvas it was on, so a canvas of another size shows the same middle at the same zoom.
 */
export type FlatViewport = readonly [number, number, number, number, number, number, number, number];

/**
 * What the editor keeps for its project between visits, supplied by the shell: which flat was open,
 * and each flat's zoom and pan, so coming back, or switching back to a flat, shows it as it was left.
 */
export interface EditorMemory {
  lastFlat(): string | null;
  rememberFlat(flatId: string): void;
  viewOf(flatId: string): FlatViewport | null;
  rememberView(flatId: string, view: FlatViewport): void;
}

export const EditorMemoryContext = createContext<EditorMemory | null>(null);

export const useEditorMemory = (): EditorMemory | null => useContext(EditorMemoryContext);

export function viewportOf(transform: readonly number[], width: number, height: number): FlatViewport {
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = transform;
  return [a, b, c, d, e, f, width, height];
}

/** The transform that shows a kept view on a canvas of this size: the same zoom, the same point in the middle. */
export function transformFor(view: FlatViewport, width: number, height: number): number[] {
  const [a, b, c, d, e, f, w, h] = view;
  return [a, b, c, d, e + (width - w) / 2, f + (height - h) / 2];
}
