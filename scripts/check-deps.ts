import { checkDeps } from './check-deps/report';

// `npm run check:deps [folder]`: exits 1 when src/ (or the folder) has an import cycle, type-only
// imports included, or a file imports across a layer DESIGN.md forbids. Run by `npm run lint`.
const report = checkDeps(process.argv[2] ?? 'src');
for (const line of report.lines) console.log(line);
process.exitCode = report.cycles.length > 0 || report.violations.length > 0 ? 1 : 0;
