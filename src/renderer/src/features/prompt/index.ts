export { PromptPanel } from './PromptPanel';
