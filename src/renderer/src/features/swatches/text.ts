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
        path: '…or type the photo’s path on this computer',
        pathPlaceholder: '/path/to/swatch.jpg',
        name: 'Name',
        category: 'Fabric',
        guess: 'From the name',
        width: 'Width (cm)',
        height: 'Height (cm)',
        rotate: 'Straighten (°)',
        drop: 'Drop a swatch photo here (JPEG, PNG, WebP, TIFF)',
        choose: 'Choose a photo…',
        picked: 'Photo: {{name}}',
        clear: 'Clear',
        crop: 'Crop (% of the straightened photo)',
        cropLeft: 'Left (%)',
        cropTop: 'Top (%)',
        cropWidth: 'Width (%)',
        cropHeight: 'Height (%)',
        cropNumbers: 'Fill in all four crop fields with numbers, or leave them all empty.',
        cropOutside: 'The crop must lie inside the photo and be at least 8 px a side.',
        cropNeedsSize: 'A % crop needs a dropped or chosen photo whose size the app can read (not a typed path or a TIFF).',
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
        path: '……或输入照片在本机上的路径',
        pathPlaceholder: '/路径/小样.jpg',
        name: '名称',
        category: '面料',
        guess: '按名称识别',
        width: '宽（厘米）',
        height: '高（厘米）',
        rotate: '校正角度（°）',
        drop: '将小样照片拖放到这里（JPEG、PNG、WebP、TIFF）',
        choose: '选择照片…',
        picked: '照片：{{name}}',
        clear: '清除',
        crop: '裁剪（校正后照片的百分比）',
        cropLeft: '左（%）',
        cropTop: '上（%）',
        cropWidth: '宽（%）',
        cropHeight: '高（%）',
        cropNumbers: '请在四个裁剪栏中都填写数字，或全部留空。',
        cropOutside: '裁剪区域必须在照片内，且每边至少 8 像素。',
        cropNeedsSize: '百分比裁剪需要拖放或选择的、应用能读取尺寸的照片（不支持手动输入的路径或 TIFF）。',
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
