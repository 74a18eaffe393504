import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errors';

/**
 * A pack row's actions (download, install, pause, cancel): `busy` while one runs, so its buttons
 * cannot start another, and the last one's error, cleared when the next starts.
 */
export function useRowAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, run };
}

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
