import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StudioApi } from '../../../../shared/client';
import { PreflightIssueSchema, TechPackDocumentSchema, type PreflightIssue, type TechPackDocument, type TechPackOutline } from '../../../../shared/techpack';
import { Library } from '../../../../main/services/library';
import { TechPackService } from '../../../../main/services/techpack';
import { insertFlat, sampleProject, techPackSources, template } from '../../../../main/services/techpack/test-kit';
import { ApiContext } from '../../lib/api-context';
import { createI18n } from '../../lib/i18n';
import { fixElement } from './fix-target';
import { TechPackForm } from './TechPackForm';

/**
 * Every kind of preflight issue, raised by the real service on a real project, must lead to a
 * control in the form that can fix it: its link finds (with the panel's own fixElement) an element
 * carrying the issue's section and item, inside that section's fieldset. The form is rendered as
 * the panel renders it, from the draft and the outline the live preview returns.
 */

interface Element {
  tag: string;
  attrs: Record<string, string>;
  /** Tags and data-section of the elements around it, outermost first. */
  ancestors: { tag: string; section: string | undefined }[];
}

const VOID = new Set(['input', 'img', 'br', 'hr', 'meta', 'link', 'area', 'base', 'col', 'embed', 'source', 'track', 'wbr']);
const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The elements of React's static markup that carry data-section, with what encloses them. */
function sectionElements(html: string): Element[] {
  const stack: Element['ancestors'] = [];
  const out: Element[] = [];
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*(\/?)>/g)) {
    const [, closing, rawTag, rawAttrs, selfClosing] = m;
    const tag = rawTag!.toLowerCase();
    if (closing) {
      const at = stack.map((s) => s.tag).lastIndexOf(tag);
      if (at >= 0) stack.length = at;
      continue;
    }
    const attrs = Object.fromEntries([...rawAttrs!.matchAll(/([^\s=>]+)(?:="([^"]*)")?/g)].map((a) => [a[1]!, decode(a[2] ?? '')]));
    if (attrs['data-section'] !== undefined) out.push({ tag, attrs, ancestors: [...stack] });
    if (!VOID.has(tag) && !selfClosing) stack.push({ tag, section: attrs['data-section'] });
  }
  return out;
}

/** Enough of a DOM for fixElement: what querySelectorAll('[data-section]') would return. */
function fakeRoot(elements: Element[]): ParentNode {
  const nodes = elements.map((e) => ({ element: e, tagName: e.tag.toUpperCase(), dataset: { section: e.attrs['data-section'], item: e.attrs['data-item'] } }));
  return { querySelectorAll: () => nodes } as unknown as ParentNode;
}

const CONTROLS = new Set(['input', 'select', 'textarea', 'button']);

let dir: string;
let lib: Library;
let service: TechPackService;
const found: { draft: TechPackDocument; outline: TechPackOutline | null; issues: PreflightIssue[] }[] = [];

beforeAll(async () => {
  // Thumbnails ask the page for its URL (libraryFileUrl); the Electron form of it needs only this.
  vi.stubGlobal('window', { jinxiu: {}, location: { hash: '' } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-preflight-links-'));
  lib = Library.open(dir);
  service = new TechPackService(lib, techPackSources(lib));
  const sample = await sampleProject(lib);
  const motifId = sample.document.motifs![0]!.motifId;
  lib.db.prepare('UPDATE motifs SET caption_en = ? WHERE id = ?').run('A museum label that runs on. '.repeat(40), motifId);
  // Prints on a flat: the library's motif (long caption) and one the library no longer has.
  const flat = template('t-shirt');
  const front = flat.views.find((v) => v.id === 'front')!;
  const print = (id: string, motif: string) => ({ id, layerId: front.layers[0]!.id, name: '', type: 'print' as const, motifId: motif, at: { x: 400, y: 300 }, width: 100, height: 100, rotation: 0, opacity: 1 });
  front.items.push(print('p1', motifId), print('p2', 'motif-gone-from-flat'));
  insertFlat(lib, sample.projectId, flat);

  const base = TechPackDocumentSchema.parse(sample.document);
  const long = 'Far too long for its box on the sheet '.repeat(3);
  const busy: TechPackDocument = {
    ...base,
    cover: { ...base.cover, styleNumber: '', name: long },
    // Ecru goes (its rib's BOM colour is then unused); one colorway has no render, one a render the project lacks.
    colorways: [
      base.colorways[0]!,
      { id: 'cw-bare', name: long, code: '', colours: [], renderIds: [] },
      { id: 'cw-lost', name: 'Lost', code: '', colours: [], renderIds: ['render-not-here'] },
    ],
    pom: {
      ...base.pom,
      rows: [...base.pom.rows, { id: 'pom-todo', code: 'HEM', description: 'Hem width', value: null, unit: null, tolerance: null }],
      // The flat's own HPS-CL gets a rule with the wrong number of steps.
      gradeRules: [...base.pom.gradeRules.filter((g) => g.code !== 'HPS-CL'), { code: 'HPS-CL', unit: 'cm', increments: ['1', '2'] }],
    },
    constructionNotes: [...base.constructionNotes, { id: 'n-long', title: '超长的工艺说明标题'.repeat(12), text: 'x' }],
    motifs: [{ motifId: 'motif-gone-from-library', placement: 'Back' }],
  };
  const empty = lib.projects.create('Empty');
  const blank = TechPackDocumentSchema.parse({});
  for (const [projectId, draft] of [
    [sample.projectId, busy],
    [empty.id, blank],
  ] as const) {
    const p = await service.previewSheet(projectId, 0, 36, draft);
    found.push({ draft, outline: p.outline, issues: p.preflight.issues });
  }
  // A draft as typed that the schema refuses: the outline stays the last one the preview drew.
  const typo = { ...busy, pom: { ...busy.pom, rows: busy.pom.rows.map((r) => (r.id === 'pom-todo' ? { ...r, value: '1,5' } : r)) } };
  const p = await service.previewSheet(sample.projectId, 0, 36, typo);
  found.push({ draft: typo as TechPackDocument, outline: found[0]!.outline, issues: p.preflight.issues });
});

afterAll(() => {
  vi.unstubAllGlobals();
  lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const api = { client: {}, on: () => () => undefined } as unknown as StudioApi;
const formHtml = (draft: TechPackDocument, outline: TechPackOutline | null, issues: PreflightIssue[]) =>
  renderToStaticMarkup(
    <I18nextProvider i18n={createI18n('en')}>
      <ApiContext.Provider value={api}>
        <TechPackForm
          projectId="p"
          draft={draft}
          onChange={() => undefined}
          outline={outline}
          missingMotifs={issues.filter((i) => i.code === 'MOTIF_MISSING').map((i) => i.target.itemId!)}
        />
      </ApiContext.Provider>
    </I18nextProvider>,
  );

describe('preflight links', () => {
  it('are raised for every kind of issue the preflight knows', () => {
    const codes = new Set(found.flatMap((f) => f.issues.map((i) => i.code)));
    expect([...codes].sort()).toEqual([...PreflightIssueSchema.shape.code.options].sort());
    // A printed motif's long caption is a warning, never an error that would block the export.
    const caption = found[0]!.issues.filter((i) => i.target.section === 'motifs' && i.code !== 'MOTIF_MISSING');
    expect(caption.map((i) => `${i.severity} ${i.code}`)).toEqual(['warning TEXT_TRUNCATED']);
  });

  it('each lead to the control for their item inside their own section', () => {
    let checked = 0;
    for (const { draft, outline, issues } of found) {
      const elements = sectionElements(formHtml(draft, outline, issues));
      for (const issue of issues) {
        const { section, itemId } = issue.target;
        const hit = fixElement(fakeRoot(elements), issue.target) as unknown as { element: Element } | null;
        const what = `${issue.code} ${section}#${itemId}: ${issue.message}`;
        expect(hit, what).not.toBeNull();
        const el = hit!.element;
        expect(el.attrs['data-section'], what).toBe(section);
        expect(el.attrs['data-item'], what).toBe(itemId ?? '');
        if (itemId === null) expect(el.tag, what).toBe('fieldset');
        else {
          // Something to act on: a control, or a card that takes the focus (a motif the library lost, with what to do).
          expect(CONTROLS.has(el.tag) || el.attrs.tabindex === '-1', what).toBe(true);
          const fieldset = [...el.ancestors].reverse().find((a) => a.tag === 'fieldset');
          expect(fieldset?.section, what).toBe(section);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });
});
