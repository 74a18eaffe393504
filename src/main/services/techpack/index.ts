/** Tech packs: document, preflight, PDF/PNG sheets, revisions. */
export { TechPackService, EXPORT_JOB, type ExportRequest, type ExportResult, type ExportedFile, type RevisionInfo } from './service';
export type { TechPackSources, RenderFacts } from './sources';
export { renderTechPack, imageHashes, DEFAULT_PNG_DPI, type SheetFormat, type RenderOptions } from './render';
export { sheetFonts, textWidth, type SheetFonts, type SheetFace } from './font';
export { layoutTechPack } from './sheets';
