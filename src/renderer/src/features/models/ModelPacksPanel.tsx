import { useTranslation } from 'react-i18next';
import { ComingSoonPanel } from '../../lib/ComingSoonPanel';
import { ModelIcon } from '../../lib/icons';

export function ModelPacksPanel({ className }: { className?: string }) {
  const { t } = useTranslation();
  return (
    <ComingSoonPanel
      region="models"
      className={className}
      title={t('features.models.title')}
      body={t('features.models.body')}
      icon={<ModelIcon />}
    />
  );
}
