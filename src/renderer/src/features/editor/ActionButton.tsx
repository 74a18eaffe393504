import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { editorAction, invoke, isEnabled, type ActionName } from './actions/registry';
import { formatShortcut } from './actions/shortcuts';
import type { ActionContext } from './actions/types';

interface Props {
  name: ActionName;
  ctx: ActionContext;
  className?: string;
  /** A glyph in place of the label, which then names the button for screen readers. */
  children?: ReactNode;
}

/** A button for one action of the registry: its label, its shortcut in the tooltip, off when it cannot run. */
export function ActionButton({ name, ctx, className = 'ed-btn', children }: Props) {
  const { t } = useTranslation();
  const action = editorAction(name);
  const label = t(action.labelKey);
  const shortcut = action.shortcuts?.[0];
  const title = action.hintKey ? t(action.hintKey) : shortcut ? `${label} (${formatShortcut(shortcut)})` : undefined;
  const checked = action.checked?.(ctx);
  return (
    <button
      type="button"
      className={`${className}${checked ? ' is-active' : ''}`}
      data-testid={action.name}
      disabled={!isEnabled(action, ctx)}
      aria-pressed={checked}
      aria-label={children ? label : undefined}
      title={title}
      onClick={() => invoke(action, ctx)}
    >
      {children ?? label}
    </button>
  );
}
