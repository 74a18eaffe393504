export { PromptPanel } from './PromptPanel';
export { usePromptReading, type Reading, type FlatAttributes } from './usePromptReading';
