/** Files the studio writes for the technician (generated images, run records, tech packs, colorways). */
export { writeFileAtomic, syncDir } from './atomic-write';
export { checkOutputFolder, checkOutputFile, makeOutputFolder } from './output-path';
export { describeFsError } from './fs-errors';
