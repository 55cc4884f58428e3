// Display formatting for the sidebar view models. Pure (no `vscode` import) so the builders run in plain Node tests.
import { formatChange as formatChangeText, formatCount } from '../../shared/displayFormat';
import type { ChangeView } from '../../shared/webviewProtocol';

/** `1 customer`, `4.1k customers`. */
export function countOf(value: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(value)} ${value === 1 ? singular : plural}`;
}

/** A metric value with its unit: `37%`, `320 ms`, `4.1k`, `4.1k orders`. */
export function formatValue(value: number, unit?: string): string {
  const number = formatCount(value);
  if (!unit) return number;
  if (unit === '%') return `${number}%`;
  return `${number} ${unit}`;
}

/**
 * A change ratio as arrow and percentage. `goodWhenUp` says whether growth is good news (usage) or bad news (a
 * problem's trend), which only picks the tone; the arrow always shows the direction.
 */
export function formatChange(ratio: number, goodWhenUp: boolean): ChangeView {
  const text = formatChangeText(ratio);
  if (ratio === 0 || text.startsWith('±') || text === '') {
    return { direction: 'flat', text: '± 0%', label: 'unchanged on the previous period', tone: 'neutral' };
  }
  const up = ratio > 0;
  const amount = text.slice(2);
  return {
    direction: up ? 'up' : 'down',
    text,
    label: `${up ? 'up' : 'down'} ${amount} on the previous period`,
    tone: up === goodWhenUp ? 'good' : 'bad',
  };
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
