/** The tech-pack document, its resolved snapshot, exact POM arithmetic and the content preflight. */
export * from './schema';
export * from './resolved';
export * from './preflight';
export * from './measure';
export { gradeValues, formatGraded, formatTolerance, type GradeInput } from './grade';
