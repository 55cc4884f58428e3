/**
 * Remote text (an endpoint's or a context file's strings) made safe to print as plain text: in a terminal, where an
 * escape sequence could recolour, retitle or rewrite the screen, and in an answer to an agent. No `vscode` import.
 */

/**
 * Control characters (C0, DEL, C1: ESC, CSI, OSC, BEL…), Unicode format characters (bidi embeddings, overrides and
 * isolates, zero-width characters, the BOM), line and paragraph separators, and lone surrogates.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/**
 * One line of printable text: whitespace runs (newlines and tabs included) become one space, every control or format
 * character is removed, and the result is cut at `max` characters with "…" (on a word boundary when one is near).
 */
export function plainText(value: string, max = 200): string {
  const flat = value
    .replace(/\s+/g, ' ')
    .replace(UNPRINTABLE, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  const chars = [...flat];
  if (chars.length <= max) return flat;
  const cut = chars.slice(0, Math.max(1, max - 1)).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > 0 && space >= cut.length - 20 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * An http(s) URL as printable text, or undefined when it is not one. `URL` percent-encodes spaces, quotes and
 * control characters, so the result is one line with nothing a terminal would interpret.
 */
export function plainUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  const href = parsed.href.replace(UNPRINTABLE, (ch) => encodeURIComponent(ch));
  return href.length > 300 ? undefined : href;
}

/**
 * Text of several lines with every control or format character removed but the line breaks: the last line of
 * defence before a report reaches a terminal, whatever its parts were made of.
 */
export function printableLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(UNPRINTABLE, ''))
    .join('\n');
}

/**
 * JSON whose every string is printable: JSON.stringify escapes C0 controls, and this escapes the rest (DEL, C1,
 * bidi and other format characters, separators) as `\\uXXXX`, so the data is the same once parsed and harmless to
 * print. `indent` as for JSON.stringify.
 */
export function printableJson(value: unknown, indent?: number): string {
  // Inside strings JSON.stringify has escaped every line break, so a raw one is layout (`indent`), kept as is.
  return JSON.stringify(value, null, indent).replace(UNPRINTABLE, (ch) => (ch === '\n' ? ch : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
