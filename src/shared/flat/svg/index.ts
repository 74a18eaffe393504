export { importSvg, type FidelityReport, type SvgImportOptions, type SvgImportResult } from './import';
export { exportSvg, viewOf, type MotifArt, type SvgExportOptions } from './export';
export { DEFAULT_SVG_LIMITS, type SvgLimits } from './limits';
export { viewOfName, type ViewMode, type ViewsFound } from './views';
