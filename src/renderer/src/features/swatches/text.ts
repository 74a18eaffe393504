import type { i18n as I18n } from 'i18next';
import { useTranslation } from 'react-i18next';

/**
 * The swatch panel's strings, kept beside the feature and merged into the app's translation at first
 * use, so the feature carries its own words in both languages.
 */
export const SWATCH_TEXT = {
  en: {
    swatchLibrary: {
      title: 'Fabric swatches',
      count: '{{count}} swatches',
      search: 'Search swatches',
      searchPlaceholder: 'e.g. denim, 藏青, supplier…',
      anyCategory: 'Any fabric',
      projectOnly: 'This project only',
      empty: 'No swatches match.',
      loadFailed: 'The swatches could not be loaded.',
      retry: 'Try again',
      import: {
        title: 'Import a swatch photo',
        path: 'Photo file (JPEG, PNG, WebP, TIFF)',
        pathPlaceholder: '/path/to/swatch.jpg',
        name: 'Name',
        category: 'Fabric',
        guess: 'From the name',
        width: 'Width (cm)',
        height: 'Height (cm)',
        rotate: 'Straighten (°)',
        submit: 'Import',
        busy: 'Importing…',
        done: 'Imported “{{name}}”.',
      },
      item: {
        size: '{{w}} × {{h}} cm',
        noSize: 'size not set',
        use: 'Use in project',
        unuse: 'Remove from project',
        inProject: 'In this project',
        delete: 'Delete',
        confirmDelete: 'Delete “{{name}}” from the library (and from every project using it)?',
        supplier: 'Supplier',
        colours: 'Dominant colours',
      },
    },
  },
  zh: {
    swatchLibrary: {
      title: '面料小样',
      count: '{{count}} 块小样',
      search: '搜索小样',
      searchPlaceholder: '例如：牛仔、navy、供应商…',
      anyCategory: '全部面料',
      projectOnly: '仅本项目',
      empty: '没有符合条件的小样。',
      loadFailed: '无法加载小样。',
      retry: '重试',
      import: {
        title: '导入小样照片',
        path: '照片文件（JPEG、PNG、WebP、TIFF）',
        pathPlaceholder: '/路径/小样.jpg',
        name: '名称',
        category: '面料',
        guess: '按名称识别',
        width: '宽（厘米）',
        height: '高（厘米）',
        rotate: '校正角度（°）',
        submit: '导入',
        busy: '正在导入…',
        done: '已导入“{{name}}”。',
      },
      item: {
        size: '{{w}} × {{h}} 厘米',
        noSize: '未设置尺寸',
        use: '用于本项目',
        unuse: '从本项目移除',
        inProject: '已用于本项目',
        delete: '删除',
        confirmDelete: '从小样库删除“{{name}}”（所有使用它的项目也会移除）？',
        supplier: '供应商',
        colours: '主色',
      },
    },
  },
} as const;

export function ensureBundle(i18n: I18n, bundle: { en: object; zh: object }): void {
  for (const lng of ['en', 'zh'] as const) {
    const [key] = Object.keys(bundle[lng]);
    if (key && !i18n.exists(`${key}.title`, { lng, fallbackLng: false })) {
      i18n.addResourceBundle(lng, 'translation', bundle[lng], true, false);
    }
  }
}

export function useSwatchText() {
  const translation = useTranslation();
  ensureBundle(translation.i18n, SWATCH_TEXT);
  return translation;
}
