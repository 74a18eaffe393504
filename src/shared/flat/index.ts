/** The flat sketch document and everything pure that works on it; runs in main and renderer alike. */
export * from './schema';
export { loadFlat, FLAT_MIGRATIONS, type FlatMigration } from './migrations';
export * from './commands/schema';
export { applyCommand, joinMirrored, type CommandResult } from './commands/apply';
export { itemBounds, measurePom, printCorners, transformItem } from './commands/items';
export * from './commands/history';
export * from './commands/builders';
export * from './geometry/matrix';
export * from './geometry/path';
export { offsetPath, offsetPolyline, signedArea2 } from './geometry/offset';
export { parsePathData, formatPathData, PathDataError } from './geometry/pathdata';
export { arcToCubics } from './geometry/arc';
export { penOf, type CircleMark, type Drawing, type Mark, type PathMark, type Pen, type Placement, type RectMark, type TextMark } from './geometry/marks';
export { stitchRows, zigzagSegments } from './geometry/stitches';
export { trimDrawing } from './geometry/trims';
export * from './svg';
export { snapMove, snapPoint, snapTargets, movingPoints, type SnapKind, type SnapLine, type SnapResult, type SnapTargets, type MoveSnap } from './geometry/snap';
export { anchorSiblings, dragAnchor, mirrorAnchor, moveAnchor } from './geometry/anchor';
