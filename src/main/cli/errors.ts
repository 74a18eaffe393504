import { CommanderError } from 'commander';
import { AppError } from '../../shared/contract';

/** Commander's own exits whose output (help, version) is already printed and is not an error. */
const NOT_ERRORS = new Set(['commander.help', 'commander.helpDisplayed', 'commander.version']);

/**
 * Every failure of a command reaches the technician the same way: one message with its code, as JSON
 * with --json, and never a stack trace. Returns the exit code.
 */
export function reportCliError(err: unknown, json: boolean, write: (line: string) => void): number {
  if (err instanceof CommanderError && NOT_ERRORS.has(err.code)) return err.exitCode;
  const error = asAppError(err);
  if (json) write(JSON.stringify({ ok: false, error: error.toData() }));
  else write(`jinxiu: ${error.message} [${error.code}]`);
  // A bug's stack helps whoever fixes it, not the technician; it is there on request.
  if (!(err instanceof AppError) && !(err instanceof CommanderError) && process.env['JINXIU_DEBUG'] && err instanceof Error && err.stack) write(err.stack);
  return err instanceof CommanderError ? err.exitCode || 1 : 1;
}

function asAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // A usage error (unknown option, missing value, a value the option's parser refused).
  if (err instanceof CommanderError) return new AppError('INVALID_INPUT', sentence(err.message.replace(/^error: /, '')));
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return new AppError('DISK_FULL', `The disk is full: ${message}`);
  return new AppError('INTERNAL', message);
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Whether --json was asked for, also when parsing failed before commander recorded it. */
export function wantsJson(recorded: unknown, argv: readonly string[]): boolean {
  if (recorded === true) return true;
  const args = argv.slice(2);
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}
