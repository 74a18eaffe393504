import type { TensorSpec } from '../../../shared/packs/manifest';
import type { SessionInfo } from '../../workers';

interface ValueInfo {
  name: string;
  type?: string;
  shape?: (number | string)[];
}

/** [B,77,768]: fixed sizes as numbers, symbolic ones by a short name, as people write them. */
export function formatShape(shape: readonly (number | string)[]): string {
  return `[${shape.map((d) => (typeof d === 'number' && d >= 0 ? String(d) : d === 'batch' ? 'B' : String(d))).join(',')}]`;
}

/** A dimension the graph leaves open: a name, or -1 / 0 from exporters that do not name them. */
function isSymbolic(d: number | string): boolean {
  return typeof d === 'string' || d < 1;
}

function compareTensor(file: string, side: 'input' | 'output', spec: TensorSpec, actual: ValueInfo): string[] {
  const problems: string[] = [];
  const where = `${file}: ${side} '${spec.name}'`;
  if (actual.type !== undefined && actual.type !== spec.dtype) {
    problems.push(`${where} is ${actual.type}, manifest says ${spec.dtype}`);
  }
  const shape = actual.shape;
  if (!shape) return problems;
  const mismatch =
    shape.length !== spec.shape.length ||
    shape.some((d, i) => {
      const m = spec.shape[i]!;
      // A fixed size in the graph must equal the manifest's; an open one accepts anything.
      return !isSymbolic(d) && (typeof m === 'number' ? m !== d : false);
    });
  if (mismatch) problems.push(`${where} expects ${formatShape(shape)}, manifest says ${formatShape(spec.shape)}`);
  return problems;
}

/**
 * Every difference between what a manifest says a graph takes and gives and what the session reports:
 * missing or unexpected names, dtypes, ranks and fixed sizes. A manifest may name a dimension the
 * graph fixes (the graph is then simply less flexible); the reverse is a mismatch.
 */
export function checkSignature(
  file: string,
  manifest: { inputs: Record<string, TensorSpec | undefined>; outputs: Record<string, TensorSpec | undefined> },
  session: Pick<SessionInfo, 'inputs' | 'outputs'>,
): string[] {
  const problems: string[] = [];
  for (const side of ['input', 'output'] as const) {
    const specs = Object.values(side === 'input' ? manifest.inputs : manifest.outputs).filter((s): s is TensorSpec => s !== undefined);
    const actual = side === 'input' ? session.inputs : session.outputs;
    const byName = new Map(actual.map((v) => [v.name, v]));
    for (const spec of specs) {
      const found = byName.get(spec.name);
      if (!found) {
        const has = actual.map((v) => `'${v.name}'`).join(', ') || 'none';
        problems.push(`${file}: has no ${side} '${spec.name}' (its ${side}s: ${has})`);
      } else {
        problems.push(...compareTensor(file, side, spec, found));
      }
    }
    if (side === 'input') {
      const named = new Set(specs.map((s) => s.name));
      for (const v of actual) {
        if (!named.has(v.name)) problems.push(`${file}: input '${v.name}' ${formatShape(v.shape ?? [])} is not in the manifest, so nothing would feed it`);
      }
    }
  }
  return problems;
}

/** Whether the graph's first input dimension is open, so both variants can share one batch. */
export function hasDynamicBatch(session: Pick<SessionInfo, 'inputs'>, inputName: string): boolean {
  const first = session.inputs.find((v) => v.name === inputName)?.shape?.[0];
  return first === undefined || isSymbolic(first);
}
