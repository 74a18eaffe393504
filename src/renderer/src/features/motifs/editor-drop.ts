import type { DragEvent as ReactDragEvent } from 'react';
import type { FlatCommandInput, FlatView, Point } from '../../../../shared/flat';
import { carriesMotif, takeMotifDrag } from './drag';
import { motifPrintCommand } from './print';

/**
 * What the flat editor's canvas needs to take a motif dropped from the search panel: accept the drag
 * while it carries a motif, and turn the drop into the document command that places the print.
 */
export function acceptMotifDragOver(e: ReactDragEvent): void {
  if (!carriesMotif(e.dataTransfer)) return;
  e.preventDefault();
  e.dataTransfer.dropEffect = 'copy';
}

/** The command for a drop at a document point, or null when the drop carries no motif. */
export function motifDropCommand(data: DataTransfer | null, view: FlatView, at: Point, layerId: string): FlatCommandInput | null {
  const drag = takeMotifDrag(data);
  return drag ? motifPrintCommand(view, at, drag, layerId).command : null;
}
