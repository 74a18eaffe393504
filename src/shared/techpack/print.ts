/**
 * Callout text is set in points, whatever the garment's scale: a flat is drawn fitted to its frame
 * (a sheet's box, the editor's window), and text sized in garment millimetres shrinks with the
 * garment until it cannot be read. The tech-pack sheets print callouts at this size and the editor
 * shows them at it (1 pt = 4/3 CSS pixels), so the canvas shows what the factory will read.
 */
export const CALLOUT_TEXT_PT = 9;

/**
 * Points of measure drawn on a flat sheet are set in print units too: the dimension line a fixed
 * width and dash, the label (code and value) at this size, beside the callouts' text. Drawn in the
 * garment's own millimetres (3 mm letters, a 0.3 unit line) they shrank with the fitted garment to
 * about a point on a calibrated flat, and vanished.
 */
export const POM_TEXT_PT = 7.5;
export const POM_LINE_PT = 0.6;

/** CSS pixels per point: 96 per inch over 72. */
export const PX_PER_PT = 96 / 72;
