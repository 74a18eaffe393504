export { PromptBox } from './PromptBox';
export { PromptDetails } from './PromptDetails';
export { usePromptEditing, EMPTY_PROMPT, type PromptState, type PromptEditing } from './usePromptEditing';
export { usePromptReading, type Reading, type FlatAttributes } from './usePromptReading';
export { readOverrides } from './overrides';
export type { Overrides } from './sync';
