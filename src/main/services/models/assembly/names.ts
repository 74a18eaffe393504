/** "a, b, c and 7 more": the first names of a list that may be thousands long, for one-line messages. */
export function someNames(names: readonly string[], limit = 10): string {
  const shown = names.slice(0, limit).join(', ');
  return names.length > limit ? `${shown} and ${names.length - limit} more` : shown;
}
