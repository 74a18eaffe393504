/**
 * Shortcuts as written in the action registry: "Mod+Shift+Z", "Delete", "V". Mod is Ctrl, or Cmd on
 * a Mac; "Plus" and "Space" name the keys a "+" separator and a blank would hide.
 */
export interface Chord {
  /** The key as KeyboardEvent.key gives it, lower-cased. */
  key: string;
  mod: boolean;
  shift: boolean;
}

/** The parts of a KeyboardEvent a shortcut looks at. */
export type KeyPress = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

const KEY_NAMES: Record<string, string> = { plus: '+', space: ' ' };

export function parseShortcut(shortcut: string): Chord {
  const parts = shortcut.split('+');
  const key = parts.pop()!.toLowerCase();
  const modifiers = new Set(parts.map((p) => p.toLowerCase()));
  for (const m of modifiers) if (m !== 'mod' && m !== 'shift') throw new Error(`Unknown modifier "${m}" in shortcut "${shortcut}".`);
  if (!key) throw new Error(`Shortcut "${shortcut}" names no key.`);
  return { key: KEY_NAMES[key] ?? key, mod: modifiers.has('mod'), shift: modifiers.has('shift') };
}

/** One spelling per chord, so two shortcuts for the same keys compare equal. */
export const chordId = (c: Chord): string => `${c.mod ? 'mod+' : ''}${c.shift ? 'shift+' : ''}${c.key}`;

/**
 * Shift counts when the chord names it. A chord without it also takes the shifted key, since some keys
 * need Shift to be typed at all ("+", "~") and Illustrator's keys work with Shift held; an exact chord
 * wins over such a loose one (Ctrl+Shift+Z is redo, not undo).
 */
export function chordMatches(chord: Chord, press: KeyPress, exactShift: boolean): boolean {
  const mod = press.ctrlKey || press.metaKey;
  if (chord.key !== press.key.toLowerCase() || chord.mod !== mod) return false;
  // Alt with a plain character belongs to the system: menus, and accents typed on some layouts.
  if (press.altKey && !mod && press.key.length === 1 && press.key !== ' ') return false;
  return exactShift ? chord.shift === press.shiftKey : !chord.shift;
}

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** The shortcut as a tooltip shows it: "Ctrl+Shift+Z", "⌘⇧Z" on a Mac, "V" for a tool. */
export function formatShortcut(shortcut: string, mac = isMac()): string {
  const chord = parseShortcut(shortcut);
  const key = chord.key === ' ' ? 'Space' : chord.key.length === 1 ? chord.key.toUpperCase() : chord.key;
  if (mac) return `${chord.mod ? '⌘' : ''}${chord.shift ? '⇧' : ''}${key}`;
  return [chord.mod && 'Ctrl', chord.shift && 'Shift', key].filter(Boolean).join('+');
}
