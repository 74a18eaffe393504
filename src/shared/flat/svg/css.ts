import { AppError } from '../../contract/errors';
import type { XmlElement } from './xml';
import { localName } from './xml';

export interface Declaration {
  property: string;
  value: string;
  important: boolean;
}

interface Compound {
  tag: string | null;
  id: string | null;
  classes: string[];
}
/** A selector read right to left: the subject first, then each ancestor step with its combinator. */
interface Selector {
  parts: { compound: Compound; combinator: ' ' | '>' | null }[];
  specificity: number;
}
export interface CssRule {
  selector: Selector;
  declarations: Declaration[];
  order: number;
}
export interface Stylesheet {
  rules: CssRule[];
  /** Selectors the importer could not read (attribute, pseudo-class...), kept for the fidelity report. */
  unsupported: string[];
}

/**
 * Resolves CSS escapes (`\72` or `\r` for "r"): CSS reads `u\72l(` as `url(`, so every check
 * and every value sees the text as CSS will.
 */
export function unescapeCss(text: string): string {
  return text.replace(/\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(\r\n|[\n\r\f])|([\s\S]))/g, (_, hex: string | undefined, newline: string | undefined, char: string | undefined) => {
    if (newline !== undefined) return '';
    if (char !== undefined) return char;
    const code = parseInt(hex!, 16);
    return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
  });
}

/** The first url() in a value that names something outside the file (not a #fragment), or null. */
export function outsideUrl(value: string): string | null {
  for (const m of unescapeCss(value).matchAll(/url\(\s*(['"]?)([^'")]*)/gi)) {
    const ref = m[2]!.trim();
    if (ref !== '' && !ref.startsWith('#')) return ref;
  }
  return null;
}

/** Parses `a: b; c: d !important` (a style attribute or a rule body), escapes resolved. */
export function parseDeclarations(text: string): Declaration[] {
  const out: Declaration[] = [];
  for (const part of text.split(';')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    const property = unescapeCss(part.slice(0, colon)).trim().toLowerCase();
    let value = unescapeCss(part.slice(colon + 1)).trim();
    const important = /!\s*important$/i.test(value);
    if (important) value = value.replace(/!\s*important$/i, '').trim();
    if (property && value) out.push({ property, value, important });
  }
  return out;
}

const COMPOUND = /^(\*|[a-zA-Z][\w-]*(?::[\w-]+)?)?((?:[.#][\w-]+)*)$/;

function parseCompound(text: string): Compound | null {
  const m = COMPOUND.exec(text);
  if (!m || text === '') return null;
  const compound: Compound = { tag: m[1] && m[1] !== '*' ? m[1] : null, id: null, classes: [] };
  for (const piece of (m[2] ?? '').match(/[.#][\w-]+/g) ?? []) {
    if (piece[0] === '#') compound.id = piece.slice(1);
    else compound.classes.push(piece.slice(1));
  }
  return compound;
}

function parseSelector(text: string): Selector | null {
  const tokens = text.replace(/\s*>\s*/g, ' > ').trim().split(/\s+/);
  const parts: Selector['parts'] = [];
  let combinator: ' ' | '>' | null = null;
  let ids = 0;
  let classes = 0;
  let tags = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const tok = tokens[i]!;
    if (tok === '>') {
      if (combinator !== ' ' || parts.length === 0) return null;
      combinator = '>';
      parts[parts.length - 1]!.combinator = '>';
      continue;
    }
    const compound = parseCompound(tok);
    if (!compound) return null;
    if (parts.length > 0 && parts[parts.length - 1]!.combinator === null) parts[parts.length - 1]!.combinator = ' ';
    parts.push({ compound, combinator: null });
    combinator = ' ';
    ids += compound.id ? 1 : 0;
    classes += compound.classes.length;
    tags += compound.tag ? 1 : 0;
  }
  if (parts.length === 0) return null;
  return { parts, specificity: ids * 10_000 + classes * 100 + tags };
}

/** Reads a <style> sheet: rules with simple selectors (type, class, id, descendant, child). */
export function parseStylesheet(css: string, orderStart = 0): Stylesheet {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  if (/@import/i.test(unescapeCss(text)) || outsideUrl(text) !== null)
    throw new AppError('INVALID_INPUT', 'The SVG stylesheet refers to an outside resource (@import or url()); only references inside the file are accepted.');
  const rules: CssRule[] = [];
  const unsupported: string[] = [];
  let i = 0;
  let order = orderStart;
  while (i < text.length) {
    const open = text.indexOf('{', i);
    if (open < 0) break;
    const prelude = text.slice(i, open).trim();
    // Find the matching close brace so nested at-rule blocks (@media...) are skipped whole.
    let depth = 1;
    let j = open + 1;
    while (j < text.length && depth > 0) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}') depth--;
      j++;
    }
    const body = text.slice(open + 1, j - 1);
    i = j;
    if (prelude.startsWith('@')) {
      unsupported.push(prelude);
      continue;
    }
    const declarations = parseDeclarations(body);
    for (const sel of prelude.split(',')) {
      const s = sel.trim();
      if (!s) continue;
      const parsed = parseSelector(s);
      if (parsed) rules.push({ selector: parsed, declarations, order: order++ });
      else unsupported.push(s);
    }
  }
  return { rules, unsupported };
}

function matchesCompound(el: XmlElement, c: Compound): boolean {
  if (c.tag && c.tag !== el.name && c.tag !== localName(el)) return false;
  if (c.id && el.attrs.id !== c.id) return false;
  if (c.classes.length) {
    const own = (el.attrs.class ?? '').split(/\s+/);
    if (!c.classes.every((k) => own.includes(k))) return false;
  }
  return true;
}

function matchFrom(el: XmlElement, parts: Selector['parts'], k: number): boolean {
  const part = parts[k]!;
  if (!matchesCompound(el, part.compound)) return false;
  if (k === parts.length - 1) return true;
  if (part.combinator === '>') return el.parent !== null && matchFrom(el.parent, parts, k + 1);
  for (let a = el.parent; a; a = a.parent) if (matchFrom(a, parts, k + 1)) return true;
  return false;
}

/** Declarations of every matching rule, weakest first (specificity, then source order). */
export function matchingDeclarations(el: XmlElement, sheet: Stylesheet): Declaration[] {
  return sheet.rules
    .filter((r) => matchFrom(el, r.selector.parts, 0))
    .sort((a, b) => a.selector.specificity - b.selector.specificity || a.order - b.order)
    .flatMap((r) => r.declarations);
}
