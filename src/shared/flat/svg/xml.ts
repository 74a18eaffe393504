import { SaxesParser } from 'saxes';
import { AppError } from '../../contract/errors';
import { formatBytes, type SvgLimits } from './limits';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Text and CDATA directly inside, in order (needed for <style> and <text>). */
  text: string;
  parent: XmlElement | null;
}

const refuse = (message: string) => new AppError('INVALID_INPUT', message);

/** Anything that would make the studio fetch, run or expand something is refused outright. */
function checkAttributes(name: string, attrs: Record<string, string>): void {
  for (const [key, value] of Object.entries(attrs)) {
    const local = key.toLowerCase();
    if (local.startsWith('on')) throw refuse(`The SVG has an event handler attribute (${key} on <${name}>); scripts are not accepted.`);
    if (local === 'href' || local.endsWith(':href')) {
      const v = value.trim();
      const lower = v.toLowerCase();
      if (lower.startsWith('javascript:')) throw refuse(`The SVG has a javascript: link on <${name}>; scripts are not accepted.`);
      if (!v.startsWith('#') && !lower.startsWith('data:') && v !== '')
        throw refuse(`The SVG refers to an outside resource ("${v.slice(0, 80)}" on <${name}>); only references inside the file are accepted.`);
    }
  }
}

/**
 * Parses SVG text into a small element tree. Size is checked before parsing; DOCTYPE/ENTITY (the
 * entity-expansion attacks), scripts, event attributes and outside references are refused; the
 * element count and nesting depth are capped while parsing, so no input can run away.
 */
export function parseSvgXml(text: string, limits: SvgLimits): XmlElement {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > limits.maxBytes)
    throw refuse(`The SVG is ${formatBytes(bytes)}; the largest accepted is ${formatBytes(limits.maxBytes)}.`);
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text))
    throw refuse('The SVG declares a DOCTYPE or entities; these are refused because entity expansion can exhaust memory.');

  const parser = new SaxesParser({ xmlns: false, position: true });
  let root: XmlElement | null = null;
  const stack: XmlElement[] = [];
  let count = 0;
  let failure: Error | null = null;
  parser.on('doctype', () => {
    throw refuse('The SVG declares a DOCTYPE; it is refused because entity expansion can exhaust memory.');
  });
  parser.on('opentag', (tag) => {
    count++;
    if (count > limits.maxElements) throw refuse(`The SVG has more than ${limits.maxElements} elements.`);
    if (stack.length + 1 > limits.maxDepth) throw refuse(`The SVG nests elements deeper than ${limits.maxDepth} levels.`);
    const name = tag.name;
    const local = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
    if (local.toLowerCase() === 'script') throw refuse('The SVG contains a <script>; scripts are not accepted.');
    const attrs = tag.attributes as Record<string, string>;
    checkAttributes(name, attrs);
    const parent = stack[stack.length - 1] ?? null;
    const el: XmlElement = { name, attrs, children: [], text: '', parent };
    if (parent) parent.children.push(el);
    else if (root) throw refuse('The SVG has more than one root element.');
    else root = el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const addText = (t: string) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('error', (e) => {
    failure = e;
  });
  try {
    parser.write(text).close();
  } catch (e) {
    if (AppError.is(e)) throw e;
    throw refuse(`The SVG is not well-formed XML: ${(e as Error).message}`);
  }
  if (failure) throw refuse(`The SVG is not well-formed XML: ${(failure as Error).message}`);
  if (!root) throw refuse('The file has no SVG element.');
  const top = root as XmlElement;
  if (top.name !== 'svg' && !top.name.endsWith(':svg')) throw refuse(`The file's root element is <${top.name}>, not <svg>.`);
  return top;
}

export const localName = (el: XmlElement): string => (el.name.includes(':') ? el.name.slice(el.name.indexOf(':') + 1) : el.name);
/** True for elements of another vocabulary (sodipodi:namedview, rdf:RDF...), which never draw. */
export const isForeign = (el: XmlElement): boolean => el.name.includes(':') && !el.name.startsWith('svg:');
