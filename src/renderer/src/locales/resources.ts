import enApp from './en/app.json';
import enEditor from './en/editor.json';
import enErrors from './en/errors.json';
import enHistory from './en/history.json';
import enLibrary from './en/library.json';
import enModels from './en/models.json';
import enMotifs from './en/motifs.json';
import enPrompt from './en/prompt.json';
import enSwatches from './en/swatches.json';
import enTechpack from './en/techpack.json';
import enVariants from './en/variants.json';
import zhApp from './zh/app.json';
import zhEditor from './zh/editor.json';
import zhErrors from './zh/errors.json';
import zhHistory from './zh/history.json';
import zhLibrary from './zh/library.json';
import zhModels from './zh/models.json';
import zhMotifs from './zh/motifs.json';
import zhPrompt from './zh/prompt.json';
import zhSwatches from './zh/swatches.json';
import zhTechpack from './zh/techpack.json';
import zhVariants from './zh/variants.json';

/**
 * Every string the app shows, one namespace per feature (the app shell is `app`), in one JSON file
 * per language and namespace. A component names the namespace in the key: t('editor:fit').
 */
export const RESOURCES = {
  en: {
    app: enApp,
    editor: enEditor,
    errors: enErrors,
    history: enHistory,
    library: enLibrary,
    models: enModels,
    motifs: enMotifs,
    prompt: enPrompt,
    swatches: enSwatches,
    techpack: enTechpack,
    variants: enVariants,
  },
  zh: {
    app: zhApp,
    editor: zhEditor,
    errors: zhErrors,
    history: zhHistory,
    library: zhLibrary,
    models: zhModels,
    motifs: zhMotifs,
    prompt: zhPrompt,
    swatches: zhSwatches,
    techpack: zhTechpack,
    variants: zhVariants,
  },
} as const;

export type Namespace = keyof (typeof RESOURCES)['en'];
export const NAMESPACES = Object.keys(RESOURCES.en) as Namespace[];
