export { DEFAULT_SVG_LIMITS } from '../../../shared/flat/svg/limits';
export { formatBytes as formatBytesForMessage } from '../../../shared/flat/svg/limits';
