import { useTranslation } from 'react-i18next';
import { ComingSoonPanel } from '../../lib/ComingSoonPanel';
import { PromptIcon } from '../../lib/icons';

export function PromptPanel({ className }: { className?: string }) {
  const { t } = useTranslation();
  return (
    <ComingSoonPanel
      region="prompt"
      className={className}
      title={t('features.prompt.title')}
      body={t('features.prompt.body')}
      icon={<PromptIcon />}
    />
  );
}
