import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';

/**
 * Who wrote a temp file, encoded in its name, so that a library opening later can tell a crashed
 * writer's leftover (remove it now) from a live writer's file (never touch it) without waiting for
 * the file to grow old. A pid alone is not enough: pids are reused, so the process's start time is
 * part of the name where the system tells it (Linux); the machine is too, because a library on a
 * shared drive sees other machines' pids, and so is the boot, because a reboot ends every writer.
 */
export interface TempOwner {
  host: string;
  boot: string;
  pid: number;
  /** Clock ticks after boot at which the process started; '0' where the system does not say. */
  start: string;
}

const UNKNOWN = '0';
const OWNER = /^([0-9a-f]{8})-([0-9a-f]{8}|0)-(\d+)-(\d+)-/;

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);
const hostTag = shortHash(os.hostname());
const bootTag = (() => {
  try {
    return shortHash(fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
  } catch {
    return UNKNOWN;
  }
})();

let ownTag: string | null = null;

/** The tag of a running process, `host-boot-pid-start`; the current process when pid is left out. */
export function ownerTag(pid: number = process.pid): string {
  if (pid === process.pid) return (ownTag ??= `${hostTag}-${bootTag}-${pid}-${startOf(pid) ?? UNKNOWN}`);
  return `${hostTag}-${bootTag}-${pid}-${startOf(pid) ?? UNKNOWN}`;
}

/** The owner a name starts with (after its prefix), or null for a name in no known form. */
export function parseOwner(rest: string): TempOwner | null {
  const m = OWNER.exec(rest);
  if (!m) return null;
  const pid = Number(m[3]);
  return Number.isSafeInteger(pid) && pid > 0 ? { host: m[1]!, boot: m[2]!, pid, start: m[4]! } : null;
}

/**
 * True when the owner has certainly exited; false when it runs or may run. Another machine's
 * processes cannot be seen from here, so theirs are never declared gone.
 */
export function ownerIsGone(owner: TempOwner): boolean {
  if (owner.host !== hostTag) return false;
  if (owner.boot !== bootTag && owner.boot !== UNKNOWN && bootTag !== UNKNOWN) return true;
  if (owner.pid === process.pid) return owner.start !== UNKNOWN && owner.start !== (startOf(process.pid) ?? UNKNOWN);
  if (!processExists(owner.pid)) return true;
  if (owner.start === UNKNOWN) return false;
  const start = startOf(owner.pid);
  // Same pid, another start time: the pid was reused by a process that never wrote this file.
  return start !== null && start !== owner.start;
}

/**
 * Whether a process with this pid exists on this machine. Signal 0 checks existence only; EPERM
 * means it exists but belongs to another user. A pid below 1 is refused outright: kill(0) and
 * kill(-1) address a process group or every process, so they would always "exist".
 */
export function processExists(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid < 1) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat, counted after the parenthesised command name (which may hold spaces). */
function startOf(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = fields[19];
    return start && /^\d+$/.test(start) ? start : null;
  } catch {
    return null;
  }
}
