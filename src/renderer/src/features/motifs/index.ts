export { MotifSearchPanel } from './MotifSearchPanel';
/** For the flat editor's canvas: take a motif dropped from the search panel as a placed print. */
export { acceptMotifDragOver, motifDropCommand } from './editor-drop';
export { printMotifId } from './print';
export { MOTIF_MIME } from './drag';
