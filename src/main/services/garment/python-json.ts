/**
 * JSON as Python's json.dumps writes it by default: besides standard JSON it may hold the bare
 * tokens NaN, Infinity and -Infinity (diffusers writes `"lambda_min_clipped": -Infinity` into every
 * DPM-Solver scheduler_config.json). Those tokens, outside strings only, become numbers.
 */
export function parsePythonJson(text: string): unknown {
  const SENTINEL = '\u0000pyjson:';
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    const token = ['-Infinity', 'Infinity', 'NaN'].find((t) => text.startsWith(t, i));
    if (token) {
      out += JSON.stringify(SENTINEL + token);
      i += token.length - 1;
      continue;
    }
    out += ch;
  }
  return JSON.parse(out, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(SENTINEL) ? Number(value.slice(SENTINEL.length)) : value,
  );
}
