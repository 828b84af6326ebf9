/**
 * A query as headings quote it: in curly quotes, unless the user already typed it as one quoted
 * phrase ("black and white"), which is shown as typed rather than as “"black and white"”.
 */
export function quoteQuery(query: string): string {
  const phrase = query.length >= 2 && query.startsWith('"') && query.endsWith('"');
  const inner = phrase ? query.slice(1, -1) : '';
  return phrase && !inner.includes('"') ? `“${inner}”` : `“${query}”`;
}
