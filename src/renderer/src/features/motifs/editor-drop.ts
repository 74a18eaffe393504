import type { DragEvent as ReactDragEvent } from 'react';
import type { FlatCommandInput, FlatView, Point } from '../../../../shared/flat';
import { carriesMotif, takeMotifDrag, type MotifDrag } from './drag';
import { DEFAULT_REPEAT_CM, motifFillCommand, motifPrintCommand, panelAt } from './print';

/**
 * What the flat editor's canvas needs to take a motif dropped from the search panel: accept the drag
 * while it carries a motif, and turn the drop into the document command that places it.
 */
export function acceptMotifDragOver(e: ReactDragEvent): void {
  if (!carriesMotif(e.dataTransfer)) return;
  e.preventDefault();
  e.dataTransfer.dropEffect = 'copy';
}

/** How a dropped motif lands: as a placed print, as a repeat filling the panel, or ask (a drop menu). */
export type MotifDropChoice = 'print' | 'fill' | 'ask';

/** Alt places a print, Shift fills the panel; a plain drop on a panel asks, beside every panel it places. */
export function dropChoice(keys: { altKey: boolean; shiftKey: boolean }, onPanel: boolean): MotifDropChoice {
  if (!onPanel) return 'print';
  if (keys.altKey) return 'print';
  if (keys.shiftKey) return 'fill';
  return 'ask';
}

/** The command for a drop the technician has decided on; null when a fill lands beside every panel. */
export function motifDropCommandFor(
  drag: MotifDrag,
  choice: 'print' | 'fill',
  view: FlatView,
  at: Point,
  layerId: string,
  repeatCm = DEFAULT_REPEAT_CM,
): FlatCommandInput | null {
  return choice === 'fill' ? motifFillCommand(view, at, drag, repeatCm) : motifPrintCommand(view, at, drag, layerId).command;
}

/** The command for a drop placed as a print (no menu), or null when the drop carries no motif. */
export function motifDropCommand(data: DataTransfer | null, view: FlatView, at: Point, layerId: string): FlatCommandInput | null {
  const drag = takeMotifDrag(data);
  return drag ? motifPrintCommand(view, at, drag, layerId).command : null;
}

export { panelAt };
