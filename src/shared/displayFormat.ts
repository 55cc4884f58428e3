/**
 * How numbers, money, changes and ages read wherever Customer Lens shows them: the hover card, the CodeLens and the
 * sidebar say the same thing the same way. No `vscode` import here.
 */

const UNITS: [number, string][] = [
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** At most three significant digits, calm to read: 4100 → "4.1k", 386_400 → "386k", 1_250_000 → "1.3M", 0.5 → "0.5". */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  for (const [size, suffix] of UNITS) {
    if (abs >= size * 0.9995) {
      const scaled = abs / size;
      return `${sign}${trimZero(scaled.toFixed(scaled < 99.95 ? 1 : 0))}${suffix}`;
    }
  }
  return `${sign}${abs >= 100 || Number.isInteger(abs) ? Math.round(abs) : trimZero(abs.toFixed(1))}`;
}

function trimZero(fixed: string): string {
  return fixed.replace(/\.0$/, '');
}

const CURRENCY_SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥' };

/** `386_400, "USD"` → "$386k"; another code is written after the amount ("1.2M CHF"); no code, no symbol. */
export function formatMoney(value: number, currency: string | undefined): string {
  const code = currency?.toUpperCase();
  const symbol = code ? CURRENCY_SYMBOLS[code] : undefined;
  if (symbol) return `${symbol}${formatCount(value)}`;
  return code ? `${formatCount(value)} ${code}` : formatCount(value);
}

/** A change ratio as an arrow and a percentage: 0.35 → "▲ 35%", -0.08 → "▼ 8%", under half a percent → "± 0%". */
export function formatChange(ratio: number): string {
  if (!Number.isFinite(ratio)) return '';
  const percent = Math.round(Math.abs(ratio) * 100);
  if (percent === 0) return '± 0%';
  return `${ratio > 0 ? '▲' : '▼'} ${percent >= 1000 ? formatCount(percent) : percent}%`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long ago: "just now", "3 min ago", "5 h ago", "2 days ago", "7 weeks ago", "on 2025-01-31" (past a year). */
export function formatAge(then: number, now: number): string {
  const elapsed = Math.max(0, now - then);
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  const days = Math.floor(elapsed / DAY);
  if (days < 14) return days === 1 ? '1 day ago' : `${days} days ago`;
  if (days < 365) return `${Math.floor(days / 7)} weeks ago`;
  return `on ${new Date(then).toISOString().slice(0, 10)}`;
}
