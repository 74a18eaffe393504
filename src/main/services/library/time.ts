/** Timestamps are ISO 8601 strings in UTC, which sort as text. */
export function nowIso(): string {
  return new Date().toISOString();
}
