// Turns untrusted context data into safe, short markdown and plain text for hovers and CodeLens titles.
// Everything an endpoint or a context file sends goes through `text()` or `link()` before it reaches markdown.

/** Characters that mean something inline in CommonMark/GFM wherever they appear. */
const INLINE_SPECIAL = /[\\`*_[\]<>&~|]/g;
/** What would start a block (heading, list, quote, rule) when a string opens a line. */
const BLOCK_START = /^(#|>|=|\+|-)/;
/** An ordered-list marker (`1.` or `1)`) opening a line: its punctuation is what needs the escape. */
const ORDERED_START = /^(\d+)([.)])/;

/** Collapses whitespace (so a remote string cannot start a new block) and cuts at `max` characters with "…". */
export function shorten(value: string, max: number): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, Math.max(1, max - 1));
  // End on a whole word when one ends close enough to the limit.
  const space = cut.lastIndexOf(' ');
  return `${(space >= cut.length - 20 && space > 0 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * A remote string as inline markdown: one line, cut to `max`, every character that could format, link, open a block
 * or write HTML escaped. Bare URLs and e-mail addresses are broken up so GFM autolinking cannot turn them into links
 * (links come only from `link()`, which checks them).
 */
export function text(value: string, max = 200): string {
  return shorten(value, max)
    .replace(INLINE_SPECIAL, (ch) => `\\${ch}`)
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

/** The URL when it is a well-formed https URL, percent-encoded so it cannot end a markdown link early. */
export function safeHttpsUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
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

/** 4100 → "4.1k", 12 → "12", 1_250_000 → "1.3M", 0.5 → "0.5". */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size * 0.9995) {
      const scaled = abs / size;
      const digits = scaled < 99.95 ? 1 : 0;
      return `${sign}${trimZero(scaled.toFixed(digits))}${suffix}`;
    }
  }
  return `${sign}${abs >= 100 || Number.isInteger(abs) ? Math.round(abs) : trimZero(abs.toFixed(1))}`;
}

function trimZero(fixed: string): string {
  return fixed.replace(/\.0$/, '');
}

const CURRENCY_SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥' };

/** `120000, "USD"` → "$120k"; an unknown or absent currency is written after the amount. */
export function formatMoney(value: number, currency: string | undefined): string {
  const code = currency?.toUpperCase();
  const symbol = code ? CURRENCY_SYMBOLS[code] : undefined;
  if (symbol) return `${symbol}${formatCount(value)}`;
  return code ? `${formatCount(value)} ${code}` : formatCount(value);
}

/** A change ratio as "▲ 12 %", "▼ 3 %" or "± 0 %". */
export function formatChange(ratio: number): string {
  if (!Number.isFinite(ratio)) return '';
  const percent = Math.round(Math.abs(ratio) * 100);
  if (percent === 0) return '± 0 %';
  return `${ratio > 0 ? '▲' : '▼'} ${formatCount(percent)} %`;
}

/** How long ago `then` was, from `now`: "just now", "12 min ago", "3 h ago", "1 day ago", "5 days ago". */
export function formatAge(then: number, now: number): string {
  const seconds = Math.max(0, (now - then) / 1000);
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

/** An ISO date as "2026-11-02" (the date part only), or undefined when it does not parse. */
export function formatDate(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined;
  const match = /^\d{4}-\d{2}-\d{2}/.exec(iso);
  return match ? match[0] : undefined;
}
