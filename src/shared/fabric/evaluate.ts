import { extractPrompt } from './extract';
import type { PromptExtraction } from './types';

/** The fields the corpus labels and the extractor is scored on. */
export const EVAL_FIELDS = ['fabric', 'colours', 'garment', 'sleeve', 'neckline', 'length', 'closure', 'pockets', 'fit'] as const;
export type EvalField = (typeof EVAL_FIELDS)[number];

/** One corpus line: the prompt and its expected values; an absent field means "not asked for". */
export interface CorpusCase {
  text: string;
  fabric?: string;
  colours?: string[];
  garment?: string;
  sleeve?: string;
  neckline?: string;
  length?: string;
  closure?: string;
  pockets?: boolean;
  fit?: string;
}

export interface FieldScore {
  field: EvalField;
  correct: number;
  total: number;
  /** Scored only on the cases whose expected value is not empty: recall of what was asked. */
  labelledCorrect: number;
  labelled: number;
}

export interface EvalReport {
  fields: FieldScore[];
  /** Correct field values over all fields of all cases. */
  overall: number;
  /** Cases whose every field is right. */
  exactCases: number;
  cases: number;
  misses: Array<{ text: string; field: EvalField; expected: unknown; actual: unknown }>;
}

export function parseCorpus(jsonl: string): CorpusCase[] {
  return jsonl
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const value = JSON.parse(line) as CorpusCase;
      if (typeof value.text !== 'string') throw new Error(`Corpus line ${i + 1} has no text.`);
      return value;
    });
}

function expectedOf(c: CorpusCase, field: EvalField): unknown {
  if (field === 'colours') return [...(c.colours ?? [])].sort();
  return c[field] ?? null;
}

function actualOf(x: PromptExtraction, field: EvalField): unknown {
  if (field === 'colours') return [...x.colours].sort();
  return x[field];
}

function isEmpty(value: unknown): boolean {
  return value === null || (Array.isArray(value) && value.length === 0);
}

/** Colours are compared as sets: "red and white" and "white and red" ask for the same. */
export function evaluate(corpus: readonly CorpusCase[]): EvalReport {
  const fields: FieldScore[] = EVAL_FIELDS.map((field) => ({ field, correct: 0, total: 0, labelledCorrect: 0, labelled: 0 }));
  const misses: EvalReport['misses'] = [];
  let exactCases = 0;
  for (const c of corpus) {
    const x = extractPrompt(c.text);
    let allRight = true;
    for (const score of fields) {
      const expected = expectedOf(c, score.field);
      const actual = actualOf(x, score.field);
      const right = JSON.stringify(expected) === JSON.stringify(actual);
      score.total += 1;
      if (right) score.correct += 1;
      if (!isEmpty(expected)) {
        score.labelled += 1;
        if (right) score.labelledCorrect += 1;
      }
      if (!right) {
        allRight = false;
        misses.push({ text: c.text, field: score.field, expected, actual });
      }
    }
    if (allRight) exactCases += 1;
  }
  const correct = fields.reduce((n, s) => n + s.correct, 0);
  const total = fields.reduce((n, s) => n + s.total, 0);
  return { fields, overall: total ? correct / total : 0, exactCases, cases: corpus.length, misses };
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '-');

/** The report as a plain-text table, one row per field. */
export function formatReport(report: EvalReport): string {
  const rows = [
    ['field', 'accuracy', 'correct/total', 'on labelled', 'correct/labelled'],
    ...report.fields.map((s) => [s.field, pct(s.correct, s.total), `${s.correct}/${s.total}`, pct(s.labelledCorrect, s.labelled), `${s.labelledCorrect}/${s.labelled}`]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  const line = (r: string[]) => r.map((cell, col) => cell.padEnd(widths[col]!)).join('  ');
  return [
    line(rows[0]!),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
    '',
    `overall (all fields, all prompts): ${(report.overall * 100).toFixed(1)}%`,
    `prompts with every field right:    ${report.exactCases}/${report.cases} (${pct(report.exactCases, report.cases)})`,
  ].join('\n');
}
