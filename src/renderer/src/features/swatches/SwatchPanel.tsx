import { useTranslation } from 'react-i18next';
import { ComingSoonPanel } from '../../lib/ComingSoonPanel';
import { SwatchIcon } from '../../lib/icons';

export function SwatchPanel({ className }: { className?: string }) {
  const { t } = useTranslation();
  return (
    <ComingSoonPanel
      region="swatches"
      className={className}
      title={t('features.swatches.title')}
      body={t('features.swatches.body')}
      icon={<SwatchIcon />}
    />
  );
}
