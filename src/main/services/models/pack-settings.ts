import type { Db } from '../library';
import { nowIso } from '../library';
import type { PackProblem } from '../../../shared/contract/models';
import type { ManifestBase } from '../../../shared/packs/manifest-base';

/** The last full verification of a pack folder; valid while the folder's fingerprint is unchanged. */
export interface VerificationRecord {
  version: string;
  fingerprint: string;
  ok: boolean;
  problems: PackProblem[];
  checkedAt: string;
}

export interface SourcePin {
  sha256: string;
  /** The repository commit (X-Repo-Commit); null where the server named none. */
  commit: string | null;
  sizeBytes: number;
  recordedAt: string;
}

/** What the models service keeps in the library's settings table. */
export class PackSettings {
  constructor(private readonly db: Db) {}

  defaultPack(kind: ManifestBase['kind']): string | null {
    return this.get<string>(`models.default.${kind}`);
  }

  setDefaultPack(kind: ManifestBase['kind'], id: string | null): void {
    this.set(`models.default.${kind}`, id);
  }

  verification(source: string, id: string): VerificationRecord | null {
    return this.get<VerificationRecord>(`models.verification.${source}.${id}`);
  }

  recordVerification(source: string, id: string, record: Omit<VerificationRecord, 'checkedAt'> | null): VerificationRecord | null {
    const full = record && { ...record, checkedAt: nowIso() };
    this.set(`models.verification.${source}.${id}`, full);
    return full;
  }

  /** The revision and sha256 a server stated for a `server-sha256` file at its first verified download. */
  sourcePin(url: string): SourcePin | null {
    return this.get<SourcePin>(`models.source-pin.${url}`);
  }

  recordSourcePin(url: string, pin: SourcePin): void {
    this.set(`models.source-pin.${url}`, pin);
  }

  private get<T>(key: string): T | null {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : null;
  }

  private set(key: string, value: unknown): void {
    if (value === null) this.db.prepare('DELETE FROM settings WHERE key = ?').run(key);
    else this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
  }
}
