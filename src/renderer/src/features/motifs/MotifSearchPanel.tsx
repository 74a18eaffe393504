import { useTranslation } from 'react-i18next';
import { ComingSoonPanel } from '../../lib/ComingSoonPanel';
import { MotifIcon } from '../../lib/icons';

export function MotifSearchPanel({ className }: { className?: string }) {
  const { t } = useTranslation();
  return (
    <ComingSoonPanel
      region="motifs"
      className={className}
      title={t('features.motifs.title')}
      body={t('features.motifs.body')}
      icon={<MotifIcon />}
    />
  );
}
