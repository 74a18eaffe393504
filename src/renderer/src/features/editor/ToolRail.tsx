import { useTranslation } from 'react-i18next';
import { ActionButton } from './ActionButton';
import type { ActionContext } from './actions/types';
import { TOOLS } from './canvas/tools';
import { ToolGlyph } from './ToolGlyph';

/** The tools down the left, each an action of the registry on its Illustrator key. */
export function ToolRail({ ctx }: { ctx: ActionContext }) {
  const { t } = useTranslation();
  return (
    <nav className="ed-tools" aria-label={t('editor:tools')}>
      {TOOLS.map((tool) => (
        <ActionButton key={tool.id} name={`tool-${tool.id}`} ctx={ctx} className="ed-tool">
          <ToolGlyph id={tool.id} />
        </ActionButton>
      ))}
    </nav>
  );
}
