import type { Studio } from '../studio';

/**
 * What a command is given: the studio of the --library folder, opened on first use, and where to
 * write. Commands map onto the studio's services; none builds a service of its own.
 */
export interface CliContext {
  /** Opens the studio for the --library option (or the default), once per command. */
  openStudio(): Studio;
  out(line: string): void;
  err(line: string): void;
}
