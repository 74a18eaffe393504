import { useTranslation } from 'react-i18next';
import { ComingSoonPanel } from '../../lib/ComingSoonPanel';
import { FlatIcon } from '../../lib/icons';

export function EditorPanel({ className }: { className?: string }) {
  const { t } = useTranslation();
  return (
    <ComingSoonPanel
      region="editor"
      className={className}
      title={t('features.editor.title')}
      body={t('features.editor.body')}
      icon={<FlatIcon />}
    />
  );
}
