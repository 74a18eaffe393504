export { MotifService, IMPORT_JOB } from './service';
export { importMotifs, type ImportReport, type ImportOptions, type ImportHooks } from './import';
export { searchCaptions } from './search';
export { segmentForIndex, parseQuery, matchExpression } from './text';
export { registerMotifCommands } from './cli';
export * from './index/index';
