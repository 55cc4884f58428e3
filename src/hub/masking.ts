// Personal data is masked before anything is stored: e-mail addresses, phone numbers and card-like numbers become
// placeholders in every string a connector hands over. What was never written cannot leak from a backup, a replica
// or a hover card.

/** Which kinds of personal data are masked. All on by default; the config's `masking:` turns one off. */
export interface MaskingRules {
  emails: boolean;
  phones: boolean;
  cards: boolean;
}

export const defaultMaskingRules: MaskingRules = { emails: true, phones: true, cards: true };

export const MASKS = { email: '[email]', phone: '[phone]', card: '[card]' } as const;

// Every part is bounded (RFC 5321: 64 characters before the @, 63 per label), which keeps matching linear: an
// unbounded local part made a 100 kB run of letters cost seconds of backtracking.
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/g;
// 13–19 digits, optionally grouped by single spaces or dashes, not glued to other digits.
const CARD = /(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])/g;
// A phone number: an optional +country code, then digit groups separated by spaces, dots, dashes or parentheses.
// It needs a "+" or at least one separator, and 8–15 digits in all, so ticket numbers and amounts are left alone.
const PHONE = /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}(?![\w])/g;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Masks one string. */
export function maskText(text: string, rules: MaskingRules = defaultMaskingRules): string {
  if (!rules.emails && !rules.phones && !rules.cards) return text;
  let out = text;
  if (rules.emails) out = out.replace(EMAIL, MASKS.email);
  if (rules.cards) {
    out = out.replace(CARD, (match) => {
      const digits = match.replace(/\D/g, '');
      return luhn(digits) ? MASKS.card : match;
    });
  }
  if (rules.phones) {
    out = out.replace(PHONE, (match) => {
      const digits = match.replace(/\D/g, '');
      if (ISO_DAY.test(match) || digits.length < 8 || digits.length > 15) return match;
      if (!match.startsWith('+') && !/[ .()-]/.test(match)) return match;
      return MASKS.phone;
    });
  }
  return out;
}

/**
 * Masks every string inside a record (and drops NUL characters), except the values of `keep` keys (ids, URLs, dates, domains: structure the
 * hub joins on, which a connector fills from structured fields, never from free text).
 */
export function maskDeep<T>(value: T, rules: MaskingRules = defaultMaskingRules, keep: ReadonlySet<string> = STRUCTURAL_KEYS): T {
  const visit = (node: unknown, key: string | undefined): unknown => {
    // NUL cannot be stored in PostgreSQL text or jsonb; one hostile character must not fail a whole page.
    if (typeof node === 'string') {
      const text = node.includes('\u0000') ? node.replace(/\u0000/g, '') : node;
      return key !== undefined && keep.has(key) ? text : maskText(text, rules);
    }
    if (Array.isArray(node)) return node.map((item) => visit(item, undefined));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = visit(v, k);
      return out;
    }
    return node;
  };
  return visit(value, undefined) as T;
}

/** Keys whose string values are identifiers or machine values, not text a person typed. */
export const STRUCTURAL_KEYS: ReadonlySet<string> = new Set([
  'kind',
  'id',
  'url',
  'domain',
  'createdAt',
  'updatedAt',
  'date',
  'status',
  'priority',
  'severity',
  'currency',
  'event',
]);
