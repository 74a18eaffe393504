import { useEffect } from 'react';
import { pressKey, releaseKey } from './registry';
import type { ActionContext } from './types';

const NOT_TYPED = new Set(['checkbox', 'radio', 'button', 'submit', 'range', 'file', 'color']);
/** Keys belong to a field being typed in; a ticked checkbox or a pressed button keeps the shortcuts. */
const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  ((target instanceof HTMLInputElement && !NOT_TYPED.has(target.type)) || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);

/** The registry's shortcuts, anywhere in the window, while a flat is open. */
export function useEditorShortcuts(ctx: ActionContext | null): void {
  useEffect(() => {
    if (!ctx) return;
    const down = (e: KeyboardEvent) => {
      if (!isTyping(e.target) && pressKey(e, ctx)) e.preventDefault();
    };
    const up = (e: KeyboardEvent) => releaseKey(e, ctx);
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
    };
  }, [ctx]);
}
