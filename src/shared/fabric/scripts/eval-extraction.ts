/**
 * `npm run eval:extraction`: scores the prompt extractor per field on the labelled corpus (written
 * before the extractor was tuned) and on a held-out set written after it (never tuned against), and
 * prints a table for each; `--misses` also lists every wrong field.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluate, formatReport, parseCorpus } from '../evaluate';

const sets = [
  ['corpus', '../extraction-corpus.jsonl'],
  ['held-out', '../extraction-heldout.jsonl'],
] as const;

for (const [label, file] of sets) {
  const corpusPath = fileURLToPath(new URL(file, import.meta.url));
  const report = evaluate(parseCorpus(fs.readFileSync(corpusPath, 'utf8')));
  process.stdout.write(`\nPrompt extraction, ${label}: ${report.cases} prompts (${corpusPath})\n\n${formatReport(report)}\n`);
  if (process.argv.includes('--misses')) {
    process.stdout.write('\nmisses:\n');
    for (const m of report.misses) {
      process.stdout.write(`  [${m.field}] expected ${JSON.stringify(m.expected)} got ${JSON.stringify(m.actual)}  <- ${m.text}\n`);
    }
  }
}
