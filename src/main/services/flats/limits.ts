export { DEFAULT_SVG_LIMITS, FLAT_PAGE_MM, formatMm } from '../../../shared/flat/svg/limits';
export { formatBytes as formatBytesForMessage } from '../../../shared/flat/svg/limits';
