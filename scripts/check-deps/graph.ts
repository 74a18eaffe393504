import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One import of a source file: what it names, and whether only types come through it. */
export interface ImportEdge {
  specifier: string;
  /** The file it resolves to, for a relative import of a file in the tree; null otherwise. */
  target: string | null;
  typeOnly: boolean;
}

export interface SourceGraph {
  root: string;
  /** Every .ts/.tsx file under root (absolute paths), tests included: a test kit can close a loop too. */
  files: string[];
  imports: Map<string, ImportEdge[]>;
}

const SOURCE = /\.(ts|tsx|mts|cts)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'out', 'dist']);

function listSources(dir: string, into: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) listSources(full, into);
    } else if (entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      into.push(full);
    }
  }
  return into;
}

/**
 * Every module specifier a file names, read from its syntax tree rather than by pattern, so that
 * `import type`, `export type ... from`, `import('./x').T` in a type and `await import()` all count:
 * eslint's import/no-cycle skips type-only imports, which is how the cycle this checker was written
 * for went unseen.
 */
export function importsOf(fileName: string, text: string): Array<{ specifier: string; typeOnly: boolean }> {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Array<{ specifier: string; typeOnly: boolean }> = [];
  const add = (node: ts.Node | undefined, typeOnly: boolean) => {
    if (node && ts.isStringLiteralLike(node)) found.push({ specifier: node.text, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : null;
      // `import { type A, type B } from` brings in types only as much as `import type { A, B }` does.
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** A relative specifier as the bundler resolves it: the file, a .js written for its .ts, or a folder's index. */
function resolveRelative(from: string, specifier: string, known: ReadonlySet<string>): string | null {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [
    base,
    ...['.ts', '.tsx', '.mts', '.cts'].map((ext) => base + ext),
    base.replace(/\.(m|c)?js$/, (_m, k: string | undefined) => `.${k ?? ''}ts`),
    base.replace(/\.jsx$/, '.tsx'),
    path.join(base, 'index.ts'),
    path.join(base, 'index.tsx'),
  ];
  return candidates.find((c) => known.has(c)) ?? null;
}

export function readGraph(root: string): SourceGraph {
  const absRoot = path.resolve(root);
  const files = listSources(absRoot).sort();
  const known = new Set(files);
  const imports = new Map<string, ImportEdge[]>();
  for (const file of files) {
    const edges = importsOf(file, fs.readFileSync(file, 'utf8')).map(({ specifier, typeOnly }) => ({
      specifier,
      typeOnly,
      target: specifier.startsWith('.') ? resolveRelative(file, specifier, known) : null,
    }));
    imports.set(file, edges);
  }
  return { root: absRoot, files, imports };
}
