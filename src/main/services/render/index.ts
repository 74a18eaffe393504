/** Colorways: a flat with its panels cut from swatches at true scale, shaded, as PNG. */
export { ColorwayRenderer, MAX_COLORWAY_BATCH, MAX_COLORWAY_PX, MIN_COLORWAY_PX, type Colorway, type ColorwayOptions } from './colorway';
export { LibraryFabrics, withTileWidth, imageFabric, imageFabrics, type ImageTile, tileSizeCm, ASSUMED_TILE_WIDTH_CM, IMAGE_SWATCH_ID, type FabricSource } from './fabrics';
export { PaletteSchema, PaletteFillSchema, SolidColourSchema, resolvePanelFills, isFabricShape, type Palette, type PanelFill } from './palette';
export { buildColorwaySvg, cellKey, SHADING } from './svg';
export { patternCell, pageRegion, MIN_CELL_PX, type CellRegion, type FabricTile, type PatternCell } from './cell';
export { loadFlatArgument } from './flat-input';
export { colorwayResult } from './result';
export { LibraryMotifArt, loadMotifArt, motifArtFrom, motifsOf, MAX_MOTIF_ART_PX, type MotifArtSource } from './motif-art';
