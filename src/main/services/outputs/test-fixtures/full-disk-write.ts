/**
 * Run by atomic-write.test.ts inside a private mount namespace whose folder is a tiny tmpfs, so the
 * disk really fills up while an output is replaced. Prints one JSON line describing what was left.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../../shared/contract';
import { writeFileAtomic } from '../atomic-write';

const dir = process.argv[2];
if (!dir) throw new Error('usage: full-disk-write.ts <dir>');

const target = path.join(dir, 'run.json');
fs.writeFileSync(target, '{"seed":42}\n');
let error: { code: string; message: string } | null = null;
try {
  await writeFileAtomic(target, Buffer.alloc(3 * 1024 * 1024, 0x20));
} catch (err) {
  error = err instanceof AppError ? { code: err.code, message: err.message } : { code: 'NOT_APP_ERROR', message: String(err) };
}
const left = fs.readdirSync(dir);
const content = fs.readFileSync(target, 'utf8');
process.stdout.write(`${JSON.stringify({ error, left, content })}\n`);
