/**
 * Callout text is set in points, whatever the garment's scale: a flat is drawn fitted to its frame
 * (a sheet's box, the editor's window), and text sized in garment millimetres shrinks with the
 * garment until it cannot be read. The tech-pack sheets print callouts at this size and the editor
 * shows them at it (1 pt = 4/3 CSS pixels), so the canvas shows what the factory will read.
 */
export const CALLOUT_TEXT_PT = 9;

/** CSS pixels per point: 96 per inch over 72. */
export const PX_PER_PT = 96 / 72;
