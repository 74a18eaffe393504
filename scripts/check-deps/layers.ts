import path from 'node:path';
import type { SourceGraph } from './graph';

/**
 * Who may not import what. Paths are modules relative to the checked root, written without an
 * extension: `main/cli` is the folder main/cli/ and the file main/cli.ts alike.
 */
export interface LayerRule {
  /** The files the rule binds: a folder (everything under it) or one module. */
  from: string;
  forbiddenPaths: readonly string[];
  /** A package and its subpaths (`commander` also forbids `commander/esm.mjs`). */
  forbiddenPackages: readonly string[];
  /**
   * Whether the rule binds the tests under `from` too. A renderer or preload transport test starts a
   * real main side to talk to; a test under services that goes through the host or the CLI tests
   * those, and lives beside them instead.
   */
  bindsTests: boolean;
  why: string;
}

export interface LayerViolation {
  file: string;
  specifier: string;
  rule: LayerRule;
}

/** DESIGN.md's layout, as rules over src/. */
export const SRC_LAYERS: readonly LayerRule[] = [
  {
    from: 'main/services',
    forbiddenPaths: ['main/host', 'main/cli', 'main/platform', 'main/index', 'renderer', 'preload'],
    forbiddenPackages: ['electron', 'commander'],
    bindsTests: true,
    why: 'services are plain Node and know nothing of who calls them; the Studio builds them, the handler table and the CLI map onto it',
  },
  {
    // A service's test may well open a whole Studio on a temp library; the service itself may not.
    from: 'main/services',
    forbiddenPaths: ['main/studio'],
    forbiddenPackages: [],
    bindsTests: false,
    why: 'the Studio builds the services, never the other way round',
  },
  {
    from: 'shared',
    forbiddenPaths: ['main', 'preload', 'renderer'],
    forbiddenPackages: ['electron', 'commander'],
    // Its tests may find their fixtures through main/test-fixtures.ts like every other test.
    bindsTests: false,
    why: 'the contract is shared by both sides and depends on neither',
  },
  {
    from: 'preload',
    forbiddenPaths: ['main', 'renderer'],
    forbiddenPackages: [],
    bindsTests: false,
    why: 'the preload exposes the contract from src/shared and nothing of the main side',
  },
  {
    from: 'renderer',
    forbiddenPaths: ['main', 'preload'],
    forbiddenPackages: ['electron', 'commander'],
    bindsTests: false,
    why: 'the renderer reaches the main side only through the contract in src/shared',
  },
];

/** Whether file `p` is module `mod` (a folder, or a file named without its extension) or lies under it. */
const within = (mod: string, p: string) => {
  const rel = path.relative(mod, p.replace(/\.[cm]?[jt]sx?$/, ''));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

const TEST = /\.(test|spec)\.[cm]?tsx?$/;

const packageOf = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);

export function findLayerViolations(graph: SourceGraph, rules: readonly LayerRule[] = SRC_LAYERS): LayerViolation[] {
  const violations: LayerViolation[] = [];
  for (const rule of rules) {
    const from = path.join(graph.root, rule.from);
    const forbidden = rule.forbiddenPaths.map((p) => path.join(graph.root, p));
    for (const file of graph.files) {
      if (!within(from, file) || (!rule.bindsTests && TEST.test(file))) continue;
      for (const edge of graph.imports.get(file) ?? []) {
        const bad = edge.specifier.startsWith('.')
          ? forbidden.some((f) => within(f, edge.target ?? path.resolve(path.dirname(file), edge.specifier)))
          : rule.forbiddenPackages.includes(packageOf(edge.specifier));
        if (bad) violations.push({ file, specifier: edge.specifier, rule });
      }
    }
  }
  return violations;
}
