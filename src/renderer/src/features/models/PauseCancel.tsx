import { useTranslation } from 'react-i18next';

interface PauseCancelProps {
  /** The row's test id prefix: `${testIdPrefix}-pause`, `${testIdPrefix}-cancel`. */
  testIdPrefix: string;
  busy: boolean;
  onPause(): void;
  onCancel(): void;
}

/** Pause and cancel of a running download or install, as the catalogue's and the recipes' rows show them. */
export function PauseCancel({ testIdPrefix, busy, onPause, onCancel }: PauseCancelProps) {
  const { t } = useTranslation();
  return (
    <>
      <button type="button" className="button" data-testid={`${testIdPrefix}-pause`} disabled={busy} onClick={onPause}>
        {t('models:catalogue.pause')}
      </button>
      <button type="button" className="button button--quiet-danger" data-testid={`${testIdPrefix}-cancel`} disabled={busy} onClick={onCancel}>
        {t('models:catalogue.cancel')}
      </button>
    </>
  );
}
