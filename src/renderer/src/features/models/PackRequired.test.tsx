import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../lib/i18n';
import { OpenModelsContext, PackRequired } from './PackRequired';

const render = (language: 'en' | 'zh', kind: 'garment' | 'motif', openModels: (() => void) | null) =>
  renderToStaticMarkup(
    <I18nextProvider i18n={createI18n(language)}>
      <OpenModelsContext.Provider value={openModels}>
        <PackRequired kind={kind} />
      </OpenModelsContext.Provider>
    </I18nextProvider>,
  );

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('PackRequired', () => {
  it('names the kind of pack and links to Models when the shell provides the way there', () => {
    const html = render('en', 'garment', () => undefined);
    expect(text(html)).toBe('This needs a garment model pack. Open Models');
    expect(html).toContain('data-testid="pack-required-open"');
    expect(html).toContain('data-kind="garment"');
  });

  it('says where Models is when nothing can link there', () => {
    const html = render('en', 'motif', null);
    expect(text(html)).toBe('This needs a motif model pack. Install one under Models in the top bar.');
    expect(html).not.toContain('pack-required-open');
  });

  it('speaks Chinese', () => {
    expect(text(render('zh', 'garment', () => undefined))).toBe('此功能需要服装模型包。 打开“模型”');
  });
});
