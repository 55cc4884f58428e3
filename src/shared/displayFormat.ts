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

/** The fields of a problem the counting and money helpers read (a protocol `Problem` fits). */
export interface ProblemFigures {
  status?: string;
  arr?: number;
  currency?: string;
}

/** True for a problem the team has not solved yet: open, planned and in progress all count as open. */
export function isOpenProblem(problem: ProblemFigures): boolean {
  return problem.status !== 'solved';
}

/** How many problems are open and how many solved: the one rule the hover, CodeLens, sidebar and Explore share. */
export function countProblems(problems: readonly ProblemFigures[]): { open: number; solved: number } {
  const open = problems.filter(isOpenProblem).length;
  return { open, solved: problems.length - open };
}

/** "3 open problems", "1 open problem", "no open problems". */
export function openProblemsText(open: number): string {
  if (open === 0) return 'no open problems';
  return `${formatCount(open)} open ${open === 1 ? 'problem' : 'problems'}`;
}

/** "3 open · 1 solved", "2 open", "1 solved": the count next to a list of problems. */
export function problemCountText({ open, solved }: { open: number; solved: number }): string {
  const parts = [`${formatCount(open)} open`];
  if (solved > 0) parts.push(`${formatCount(solved)} solved`);
  return parts.join(' · ');
}

/** The distinct currencies (upper-case ISO codes) of the problems that give an ARR; an ARR without one counts as "". */
export function arrCurrencies(problems: readonly ProblemFigures[]): string[] {
  return [...new Set(problems.filter((p) => p.arr !== undefined).map((p) => p.currency?.toUpperCase() ?? ''))];
}

/**
 * A problem's ARR as a figure that cannot be mistaken for another currency's. `mixed` (the list it stands in has
 * several currencies) writes the ISO code after the amount ("412k EUR ARR"), so "$386k" and "€412k" are never read as
 * one scale; an amount whose currency the source did not give says so. Amounts are never converted or added up.
 */
export function formatArr(arr: number, currency: string | undefined, mixed: boolean): string {
  const code = currency?.toUpperCase();
  if (!code) return `${formatCount(arr)} ARR (currency not given)`;
  return mixed ? `${formatCount(arr)} ${code} ARR` : `${formatMoney(arr, code)} ARR`;
}

/** "ARR is in USD and EUR; amounts are not converted." for a list with several currencies, else undefined. */
export function mixedCurrencyNote(currencies: readonly string[]): string | undefined {
  if (currencies.length < 2) return undefined;
  const named = currencies.map((c) => c || 'an unnamed currency');
  const list = named.length === 2 ? named.join(' and ') : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
  return `ARR is in ${list}; amounts are not converted, so compare them only within one currency.`;
}
