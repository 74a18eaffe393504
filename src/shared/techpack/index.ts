/** The tech-pack document, its resolved snapshot, exact POM arithmetic, the content preflight and the form's outline. */
export * from './schema';
export * from './resolved';
export * from './preflight';
export * from './outline';
export * from './placement';
export { readDraft, type DraftReading } from './draft';
export * from './measure';
export { CALLOUT_TEXT_PT, POM_LINE_PT, POM_TEXT_PT, PX_PER_PT } from './print';
export { gradeValues, formatGraded, formatTolerance, type GradeInput } from './grade';
export * from './sheet-language';
