import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract';
import { reportCliError, wantsJson } from './errors';

function report(err: unknown, json = false): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = reportCliError(err, json, (line) => lines.push(line));
  return { code, lines };
}

describe('reportCliError', () => {
  it('prints an AppError as one line, or as the contract envelope with --json', () => {
    const err = new AppError('NOT_FOUND', 'The library has no project p1.');
    expect(report(err)).toEqual({ code: 1, lines: ['jinxiu: The library has no project p1. [NOT_FOUND]'] });
    expect(report(err, true).lines.map((l) => JSON.parse(l) as unknown)).toEqual([{ ok: false, error: { code: 'NOT_FOUND', message: 'The library has no project p1.' } }]);
  });

  it('prints usage errors, which commander was told not to print, and stays quiet after help and version', () => {
    const usage = new CommanderError(1, 'commander.unknownOption', "error: unknown option '--stpes'");
    expect(report(usage)).toEqual({ code: 1, lines: ["jinxiu: unknown option '--stpes'. [INVALID_INPUT]"] });
    expect(report(new CommanderError(0, 'commander.version', '0.1.0'))).toEqual({ code: 0, lines: [] });
    expect(report(new CommanderError(1, 'commander.help', '(outputHelp)'))).toEqual({ code: 1, lines: [] });
  });

  it('gives an unexpected error its message and a code, not a stack trace', () => {
    const raw = Object.assign(new Error("ENOTDIR: not a directory, mkdir '/dev/null/x'"), { code: 'ENOTDIR' });
    expect(report(raw)).toEqual({ code: 1, lines: ["jinxiu: ENOTDIR: not a directory, mkdir '/dev/null/x' [INTERNAL]"] });
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    expect(report(full, true).lines.map((l) => JSON.parse(l) as unknown)).toEqual([{ ok: false, error: { code: 'DISK_FULL', message: 'The disk is full: database or disk is full' } }]);
  });
});

describe('wantsJson', () => {
  it('finds --json before a -- even when commander did not get to record it', () => {
    expect(wantsJson(true, ['node', 'jinxiu'])).toBe(true);
    expect(wantsJson(undefined, ['node', 'jinxiu', 'generate', '--json', '--steps', '0'])).toBe(true);
    expect(wantsJson(undefined, ['node', 'jinxiu', 'motifs', 'search', '--', '--json'])).toBe(false);
    expect(wantsJson(undefined, ['node', 'jinxiu', 'generate'])).toBe(false);
  });
});
