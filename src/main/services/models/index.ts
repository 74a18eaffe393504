export { ModelManager, type ModelManagerOptions, type PackLease, type PackLocation, type DownloadResult } from './manager';
export { loadCatalogue } from './catalogue';
export { readManifest, parseManifest, MANIFEST_FILE, type PackManifest } from './pack-manifest';
export { checkPackFolder, sha256File } from './verify';
export { formatBytes } from './models-folder';
