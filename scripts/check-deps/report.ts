import path from 'node:path';
import { findCycles, type ImportCycle } from './cycles';
import { readGraph } from './graph';
import { findLayerViolations, SRC_LAYERS, type LayerRule, type LayerViolation } from './layers';

export interface DepsReport {
  files: number;
  cycles: ImportCycle[];
  violations: LayerViolation[];
  /** What to print, one line each; the last says whether the tree is clean. */
  lines: string[];
}

/** Import cycles (type-only imports included) and layer violations under `root`, as lines to print. */
export function checkDeps(root: string, rules: readonly LayerRule[] = SRC_LAYERS): DepsReport {
  const graph = readGraph(root);
  const rel = (f: string) => path.relative(graph.root, f);
  const cycles = findCycles(graph);
  const violations = findLayerViolations(graph, rules);
  const lines: string[] = [];
  for (const c of cycles) {
    lines.push(`cycle of ${c.files.length} files${c.typeOnly ? ' (type-only imports)' : ''}: ${c.loop.map(rel).join(' -> ')}`);
    if (c.files.length > c.loop.length - 1) lines.push(`  also in it: ${c.files.filter((f) => !c.loop.includes(f)).map(rel).join(', ')}`);
  }
  for (const v of violations) lines.push(`${rel(v.file)} imports '${v.specifier}': ${v.rule.why}`);
  lines.push(
    cycles.length === 0 && violations.length === 0
      ? `no import cycles and no layer violations among ${graph.files.length} files under ${root}`
      : `${cycles.length} import cycle(s) and ${violations.length} layer violation(s) among ${graph.files.length} files under ${root}`,
  );
  return { files: graph.files.length, cycles, violations, lines };
}
