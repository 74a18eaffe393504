/** A fresh item id with the given prefix ("cw-3"), unused among `taken`; ids stay stable once given so preflight links keep pointing at the same row. */
export function nextId(prefix: string, taken: readonly string[]): string {
  let n = taken.length + 1;
  while (taken.includes(`${prefix}-${n}`)) n++;
  return `${prefix}-${n}`;
}

/** "S, M, L" -> ["S", "M", "L"]; empty pieces are kept so the server's validation names them instead of silently dropping them. */
export function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim());
}
