export { MotifSearchPanel } from './MotifSearchPanel';
/** For the flat editor's canvas: take a motif dropped from the search panel as a print or a panel fill. */
export { acceptMotifDragOver, motifDropCommand } from './editor-drop';
export { useMotifDrop } from './MotifDrop';
export { printMotifId } from './print';
export { MOTIF_MIME } from './drag';
/** "Search this region" overlays for the flat canvas and the generated renders. */
export { FlatRegionPicker, RenderRegionPicker } from './region-pickers';
/** The motif artwork the canvas paints prints and motif fills with. */
export { motifPicture, type MotifPicture } from './motif-pictures';
/** Whether "search this region" is on and a box is being searched, for the shell to show the answer. */
export { useRegionSearch } from './region';
