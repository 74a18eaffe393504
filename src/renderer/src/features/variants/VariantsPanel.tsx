import { useTranslation } from 'react-i18next';
import { ComingSoonPanel } from '../../lib/ComingSoonPanel';
import { VariantsIcon } from '../../lib/icons';

export function VariantsPanel({ className }: { className?: string }) {
  const { t } = useTranslation();
  return (
    <ComingSoonPanel
      region="variants"
      className={className}
      title={t('features.variants.title')}
      body={t('features.variants.body')}
      icon={<VariantsIcon />}
    />
  );
}
