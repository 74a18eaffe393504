import type { ImportEdge, SourceGraph } from './graph';

/** A group of files that import one another in a loop, and one such loop spelled out. */
export interface ImportCycle {
  /** The strongly connected group, sorted. */
  files: string[];
  /** One loop through the group, first file repeated at the end: a -> b -> c -> a. */
  loop: string[];
  /** Whether every import on that loop brings in types only (a cycle still, but one eslint misses). */
  typeOnly: boolean;
}

/** Tarjan's strongly connected components over the relative imports; every group of two or more is a cycle. */
export function findCycles(graph: SourceGraph): ImportCycle[] {
  const next = (file: string): string[] => [...new Set((graph.imports.get(file) ?? []).map((e) => e.target).filter((t): t is string => t !== null && t !== file))];
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let counter = 0;

  // Iterative, so a deep import chain cannot overflow the call stack.
  for (const start of graph.files) {
    if (index.has(start)) continue;
    const work: Array<{ file: string; targets: string[]; at: number }> = [];
    const enter = (file: string) => {
      index.set(file, counter);
      low.set(file, counter++);
      stack.push(file);
      onStack.add(file);
      work.push({ file, targets: next(file), at: 0 });
    };
    enter(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.at < frame.targets.length) {
        const target = frame.targets[frame.at++]!;
        if (!index.has(target)) enter(target);
        else if (onStack.has(target)) low.set(frame.file, Math.min(low.get(frame.file)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.file, Math.min(low.get(parent.file)!, low.get(frame.file)!));
      if (low.get(frame.file) === index.get(frame.file)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.file);
        if (group.length > 1) groups.push(group.sort());
      }
    }
  }
  return groups.map((files) => describe(graph, files)).sort((a, b) => (a.files[0]! < b.files[0]! ? -1 : 1));
}

/** The shortest loop from the group's first file back to itself, by breadth-first search inside the group. */
function describe(graph: SourceGraph, files: string[]): ImportCycle {
  const inGroup = new Set(files);
  const first = files[0]!;
  const cameFrom = new Map<string, { from: string; edge: ImportEdge }>();
  const queue = [first];
  let closing: { from: string; edge: ImportEdge } | null = null;
  while (queue.length > 0 && !closing) {
    const file = queue.shift()!;
    for (const edge of graph.imports.get(file) ?? []) {
      if (!edge.target || !inGroup.has(edge.target)) continue;
      if (edge.target === first) {
        closing = { from: file, edge };
        break;
      }
      if (!cameFrom.has(edge.target)) {
        cameFrom.set(edge.target, { from: file, edge });
        queue.push(edge.target);
      }
    }
  }
  // A strongly connected group always leads back to its first file.
  const loop = [first];
  const edges = [closing!.edge];
  for (let at = closing!.from; at !== first; at = cameFrom.get(at)!.from) {
    loop.unshift(at);
    edges.push(cameFrom.get(at)!.edge);
  }
  loop.unshift(first);
  return { files, loop, typeOnly: edges.every((e) => e.typeOnly) };
}
