// Sorting and filtering the Context view does on data it was given (pure, tested in plain Node).
import type { ProblemSort, ProblemView, QuoteView } from '../shared/webviewProtocol';

/** Labels of the problem sort orders, for the sort control. */
export const PROBLEM_SORT_LABELS: Record<ProblemSort, string> = {
  customers: 'Customers affected',
  severity: 'Severity',
  recency: 'Most recent',
};

/** Solved problems go last whatever the order: the list is about what still hurts. */
function openFirst(a: ProblemView, b: ProblemView): number {
  return Number(b.open) - Number(a.open);
}

function byCustomers(a: ProblemView, b: ProblemView): number {
  return (b.customers ?? -1) - (a.customers ?? -1);
}

function bySeverity(a: ProblemView, b: ProblemView): number {
  return b.severityRank - a.severityRank;
}

function byRecency(a: ProblemView, b: ProblemView): number {
  return b.updatedAt - a.updatedAt;
}

const ORDERS: Record<ProblemSort, ((a: ProblemView, b: ProblemView) => number)[]> = {
  // Ties fall back to the other orders, so the list never looks shuffled between renders.
  customers: [byCustomers, bySeverity, byRecency],
  severity: [bySeverity, byCustomers, byRecency],
  recency: [byRecency, bySeverity, byCustomers],
};

/** The problems in `order`, solved ones and unknown values last; a stable copy (the input is not changed). */
export function sortProblems(problems: readonly ProblemView[], order: ProblemSort): ProblemView[] {
  const comparators = [openFirst, ...ORDERS[order]];
  return [...problems].sort((a, b) => {
    for (const compare of comparators) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  });
}

/** The quotes of one segment, or all of them when `segment` is absent or no quote has it. */
export function filterQuotes(quotes: readonly QuoteView[], segment: string | undefined): QuoteView[] {
  if (!segment || !quotes.some((quote) => quote.segment === segment)) return [...quotes];
  return quotes.filter((quote) => quote.segment === segment);
}

/** Features whose name, purpose, owners, id or top problem contain every word of `search` (case-insensitive). */
export function matchesSearch(fields: readonly (string | undefined)[], search: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = fields.filter(Boolean).join('\n').toLowerCase();
  return words.every((word) => haystack.includes(word));
}
