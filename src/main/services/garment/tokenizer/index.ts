export { ClipTokenizer, type ClipTokenizerFiles, type ClipTokenizerOptions } from './clip-bpe';
export { cleanPrompt, fixText } from './text-cleanup';
