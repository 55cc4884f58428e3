// Display formatting for the sidebar view models. Pure (no `vscode` import) so the builders run in plain Node tests.
import type { ChangeView } from '../../shared/webviewProtocol';

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** 4100 → `4.1k`, 1_200_000 → `1.2M`, 950 → `950`, 0.5 → `0.5`. */
export function compactNumber(value: number): string {
  return compact.format(value).replace('K', 'k');
}

/** `1 customer`, `4.1k customers`. */
export function countOf(value: number, singular: string, plural = `${singular}s`): string {
  return `${compactNumber(value)} ${value === 1 ? singular : plural}`;
}

/** A metric value with its unit: `37%`, `320 ms`, `4.1k`, `4.1k orders`. */
export function formatValue(value: number, unit?: string): string {
  const number = compactNumber(value);
  if (!unit) return number;
  if (unit === '%') return `${number}%`;
  return `${number} ${unit}`;
}

/** `$1.2M`, `€85k`; an unknown currency code still reads: `1.2M XYZ`. */
export function formatMoney(value: number, currency = 'USD'): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase(), notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 })
      .format(value)
      .replace('K', 'k');
  } catch (error) {
    // Intl rejects codes it does not know; the number still matters more than the symbol.
    void error;
    return `${compactNumber(value)} ${currency.toUpperCase()}`;
  }
}

/**
 * A change ratio as arrow and percentage. `goodWhenUp` says whether growth is good news (usage) or bad news (a
 * problem's trend), which only picks the tone; the arrow always shows the direction.
 */
export function formatChange(ratio: number, goodWhenUp: boolean): ChangeView {
  const percent = Math.round(Math.abs(ratio) * 100);
  if (percent === 0) {
    return { direction: 'flat', text: '— 0%', label: 'unchanged on the previous period', tone: 'neutral' };
  }
  const up = ratio > 0;
  const amount = percent >= 1000 ? `${compactNumber(percent)}%` : `${percent}%`;
  return {
    direction: up ? 'up' : 'down',
    text: `${up ? '▲' : '▼'} ${amount}`,
    label: `${up ? 'up' : 'down'} ${amount} on the previous period`,
    tone: up === goodWhenUp ? 'good' : 'bad',
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `just now`, `3 min ago`, `5 h ago`, `2 days ago`, `7 weeks ago`, `on 2025-01-31` (past a year). */
export function relativeAge(then: number, now: number): string {
  const elapsed = Math.max(0, now - then);
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  const days = Math.floor(elapsed / DAY);
  if (days < 14) return days === 1 ? '1 day ago' : `${days} days ago`;
  if (days < 365) return `${Math.floor(days / 7)} weeks ago`;
  return `on ${new Date(then).toISOString().slice(0, 10)}`;
}

/** Epoch milliseconds of an ISO date, or 0 when absent or unreadable. */
export function epochOf(isoDate: string | undefined): number {
  if (!isoDate) return 0;
  const value = Date.parse(isoDate);
  return Number.isNaN(value) ? 0 : value;
}

/** The last segment of a `/`-separated path or uri, decoded when it is a uri. */
export function baseName(pathOrUri: string): string {
  const trimmed = pathOrUri.replace(/\/+$/, '');
  const last = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last);
  } catch (error) {
    void error; // a stray `%` in a file name: the raw segment is still the best name we have
    return last;
  }
}
