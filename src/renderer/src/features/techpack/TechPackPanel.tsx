import { useTranslation } from 'react-i18next';
import { ComingSoonPanel } from '../../lib/ComingSoonPanel';
import { TechPackIcon } from '../../lib/icons';

export function TechPackPanel({ className }: { className?: string }) {
  const { t } = useTranslation();
  return (
    <ComingSoonPanel
      region="techpack"
      className={className}
      title={t('features.techpack.title')}
      body={t('features.techpack.body')}
      icon={<TechPackIcon />}
    />
  );
}
