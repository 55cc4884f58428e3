// Turns untrusted text (context data, repository text such as commit subjects) into safe, short markdown for hovers,
// CodeLens titles and reports posted to code review. Everything remote goes through `text()` or `link()` first.
import { MAX_URL_LENGTH } from './contextBounds';
import { clampText, neutralizeText } from './safeText';

/**
 * Characters that mean something inline in CommonMark/GFM wherever they appear (parentheses too: marked reads a link
 * written inside a link label). Brackets are not among them: they become character references (see `text()`).
 */
const INLINE_SPECIAL = /[\\`*_()<>&~|]/g;
/** What would start a block (heading, list, quote, rule) when a string opens a line. */
const BLOCK_START = /^(#|>|=|\+|-)/;
/** An ordered-list marker (`1.` or `1)`) opening a line: its punctuation is what needs the escape. */
const ORDERED_START = /^(\d+)([.)])/;

/**
 * Neutralises bidi and control characters, collapses whitespace (so a remote string cannot start a new block) and cuts
 * at `max` characters with "…".
 */
export function shorten(value: string, max: number): string {
  const flat = neutralizeText(value).replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = clampText(flat, Math.max(2, max)).slice(0, -1);
  // End on a whole word when one ends close enough to the limit.
  const space = cut.lastIndexOf(' ');
  return `${(space >= cut.length - 20 && space > 0 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * A remote string as inline markdown: one line, cut to `max`, every character that could format, link, open a block
 * or write HTML escaped. Bare URLs and e-mail addresses are broken up so GFM autolinking cannot turn them into links
 * (links come only from `link()`, which checks them). Brackets are written as character references, not backslash
 * escapes: inside a link's label marked removes the escapes of brackets and parses the label again, so an escaped
 * bracket there would still open an image or a link; a character reference never counts as markdown syntax.
 */
export function text(value: string, max = 200): string {
  return shorten(value, max)
    .replace(INLINE_SPECIAL, (ch) => `\\${ch}`)
    .replace(/\[/g, '&#91;')
    .replace(/\]/g, '&#93;')
    .replace(BLOCK_START, (start) => `\\${start}`)
    .replace(ORDERED_START, '$1\\$2')
    .replace(/:\/\//g, '\\://')
    .replace(/\bwww\./gi, (www) => `${www.slice(0, 3)}\\.`)
    .replace(/@/g, '\\@');
}

/** Inline code that no backtick in `value` can break out of. */
export function code(value: string, max = 80): string {
  const flat = shorten(value, max);
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * The URL when it is a well-formed https URL of a sane length, percent-encoded so it cannot end a markdown link early.
 */
export function safeHttpsUrl(url: string | undefined): string | undefined {
  if (url === undefined || url.length > MAX_URL_LENGTH) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed.href.replace(/[()<> "'\\]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** `[label](url)` for an https URL, or the escaped label alone for anything else. */
export function link(label: string, url: string | undefined, max = 80): string {
  const safe = safeHttpsUrl(url);
  const escaped = text(label, max);
  return safe === undefined ? escaped : `[${escaped}](${safe})`;
}

/** An ISO date as "2026-11-02" (the date part only), or undefined when it does not parse. */
export function formatDate(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined;
  const match = /^\d{4}-\d{2}-\d{2}/.exec(iso);
  return match ? match[0] : undefined;
}
