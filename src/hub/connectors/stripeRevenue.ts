// Annual recurring revenue of a Stripe customer, from its subscriptions: the rules the README documents under the
// stripe connector, as a pure function of the objects Stripe returned (so each rule is tested on hand-computed
// subscriptions). Shapes and meanings from Stripe's API reference:
// - Subscription https://docs.stripe.com/api/subscriptions/object (status, items, discounts, pause_collection)
// - Price https://docs.stripe.com/api/prices/object (recurring.interval/interval_count/usage_type, billing_scheme,
//   unit_amount_decimal, tiers and tiers_mode, transform_quantity)
// - Discount https://docs.stripe.com/api/discounts/object (source.coupon, end) and Coupon
//   https://docs.stripe.com/api/coupons/object (percent_off, amount_off, currency, currency_options, duration,
//   applies_to.products)
// - Minor units https://docs.stripe.com/currencies#zero-decimal (zero- and three-decimal currencies)
import { z } from 'zod';

const id = z.string().min(1);
const expandable = z.union([id, z.object({ id }).loose()]);

export const couponSchema = z
  .object({
    id,
    percent_off: z.number().nullish(),
    amount_off: z.number().nullish(),
    currency: z.string().nullish(),
    currency_options: z.record(z.string(), z.object({ amount_off: z.number().nullish() }).loose()).nullish(),
    duration: z.string(),
    applies_to: z.object({ products: z.array(z.string()) }).loose().nullish(),
  })
  .loose();

export const discountSchema = z
  .object({
    id: z.string().optional(),
    end: z.number().nullish(),
    source: z.object({ coupon: z.union([id, couponSchema]).nullish() }).loose().nullish(),
    // API versions before 2025-09-30 embedded the coupon here.
    coupon: couponSchema.nullish(),
  })
  .loose();

const tierSchema = z
  .object({
    up_to: z.number().nullish(),
    unit_amount: z.number().nullish(),
    unit_amount_decimal: z.string().nullish(),
    flat_amount: z.number().nullish(),
    flat_amount_decimal: z.string().nullish(),
  })
  .loose();

export const priceSchema = z
  .object({
    id,
    currency: z.string(),
    product: expandable.nullish(),
    billing_scheme: z.string().nullish(),
    unit_amount: z.number().nullish(),
    unit_amount_decimal: z.string().nullish(),
    recurring: z
      .object({ interval: z.enum(['day', 'week', 'month', 'year']), interval_count: z.number().int().positive().default(1), usage_type: z.string().nullish() })
      .loose()
      .nullish(),
    tiers_mode: z.string().nullish(),
    tiers: z.array(tierSchema).nullish(),
    transform_quantity: z.object({ divide_by: z.number().positive(), round: z.enum(['up', 'down']) }).loose().nullish(),
  })
  .loose();

const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), has_more: z.boolean().default(false) }).loose();

export const subscriptionItemSchema = z
  .object({
    id,
    price: priceSchema,
    quantity: z.number().nullish(),
    discounts: z.array(z.union([id, discountSchema])).nullish(),
  })
  .loose();

export const subscriptionSchema = z
  .object({
    id,
    status: z.string(),
    currency: z.string().optional(),
    customer: expandable.optional(),
    items: listOf(subscriptionItemSchema),
    discounts: z.array(z.union([id, discountSchema])).nullish(),
    pause_collection: z.object({}).loose().nullish(),
  })
  .loose();

export const customerSchema = z
  .object({
    id,
    deleted: z.boolean().optional(),
    name: z.string().nullish(),
    business_name: z.string().nullish(),
    description: z.string().nullish(),
    email: z.string().nullish(),
    metadata: z.record(z.string(), z.string()).nullish(),
    discount: discountSchema.nullish(),
    subscriptions: listOf(subscriptionSchema).nullish(),
  })
  .loose();

export type Coupon = z.infer<typeof couponSchema>;
export type Discount = z.infer<typeof discountSchema>;
export type Price = z.infer<typeof priceSchema>;
export type Subscription = z.infer<typeof subscriptionSchema>;
export type SubscriptionItem = z.infer<typeof subscriptionItemSchema>;
export type StripeCustomer = z.infer<typeof customerSchema>;

/** ISO 4217 currencies Stripe counts in whole units or in thousandths; all others in hundredths. */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

export function minorUnitsPerMajor(currency: string): number {
  const c = currency.toLowerCase();
  return ZERO_DECIMAL.has(c) ? 1 : THREE_DECIMAL.has(c) ? 1000 : 100;
}

/** Billing periods in a year: a year, 12 months, 52 weeks or 365 days, divided by the interval count. */
export function periodsPerYear(recurring: NonNullable<Price['recurring']>): number {
  const perYear = { day: 365, week: 52, month: 12, year: 1 }[recurring.interval];
  return perYear / recurring.interval_count;
}

/** What the normaliser needs from outside: the clock, and the coupons and tiered prices the sync fetched. */
export interface RevenueLookups {
  /** Epoch ms: discounts that ended before it no longer count. */
  now: number;
  /** Subscription statuses that count as paying (default active and past_due). */
  statuses: ReadonlySet<string>;
  /** A coupon by id, or undefined when Stripe no longer has it. */
  coupon(id: string): Coupon | undefined;
  /** A price with its tiers, for tiered prices (Stripe includes tiers only when asked). */
  tieredPrice(id: string): Price | undefined;
}

export interface SubscriptionRevenue {
  /** Major units a year, after discounts. */
  arr: number;
  currency: string;
  /** Items or discounts left out, each saying why. */
  notes: string[];
}

function decimal(text: string | null | undefined, whole: number | null | undefined): number | undefined {
  if (text !== undefined && text !== null && text !== '') {
    const n = Number(text);
    if (Number.isFinite(n)) return n;
  }
  return whole ?? undefined;
}

/** The amount of one item per billing period, in minor units, before discounts; a string says why it cannot count. */
export function itemAmount(item: SubscriptionItem, lookups: Pick<RevenueLookups, 'tieredPrice'>): number | string {
  const price = item.price;
  if (!price.recurring) return `price ${price.id} is not recurring`;
  if (price.recurring.usage_type === 'metered') return `price ${price.id} is metered (billed on usage), which has no fixed annual amount`;
  let quantity = item.quantity ?? 1;
  if (price.transform_quantity) {
    const divided = quantity / price.transform_quantity.divide_by;
    quantity = price.transform_quantity.round === 'up' ? Math.ceil(divided) : Math.floor(divided);
  }
  if (price.billing_scheme === 'tiered') {
    const tiers = (price.tiers ?? lookups.tieredPrice(price.id)?.tiers) ?? undefined;
    if (!tiers || tiers.length === 0) return `tiered price ${price.id} came without its tiers`;
    const unit = (t: (typeof tiers)[number]) => decimal(t.unit_amount_decimal, t.unit_amount) ?? 0;
    const flat = (t: (typeof tiers)[number]) => decimal(t.flat_amount_decimal, t.flat_amount) ?? 0;
    if (price.tiers_mode === 'volume') {
      const tier = tiers.find((t) => t.up_to === null || t.up_to === undefined || quantity <= t.up_to) ?? tiers[tiers.length - 1]!;
      return quantity * unit(tier) + flat(tier);
    }
    // Graduated: each tier prices the units that fall in it, plus its flat fee when any do.
    let amount = 0;
    let below = 0;
    for (const tier of tiers) {
      const upTo = tier.up_to ?? Infinity;
      const units = Math.max(0, Math.min(quantity, upTo) - below);
      if (units > 0) amount += units * unit(tier) + flat(tier);
      below = upTo;
      if (quantity <= upTo) break;
    }
    return amount;
  }
  const unit = decimal(price.unit_amount_decimal, price.unit_amount);
  if (unit === undefined) return `price ${price.id} has no unit amount`;
  return unit * quantity;
}

function couponOf(discount: Discount | string, lookups: RevenueLookups): Coupon | string {
  if (typeof discount === 'string') return `discount ${discount} came without its details`;
  const source = discount.source?.coupon ?? discount.coupon;
  if (!source) return `discount ${discount.id ?? ''} has no coupon`;
  if (typeof source !== 'string') return source;
  return lookups.coupon(source) ?? `coupon ${source} no longer exists`;
}

/** Whether a discount still lowers what the customer pays each period: not a one-off, and not ended. */
function recurs(discount: Discount | string, coupon: Coupon, now: number): boolean {
  if (coupon.duration === 'once') return false;
  const end = typeof discount === 'string' ? undefined : discount.end;
  return end === null || end === undefined || end * 1000 > now;
}

function productOf(item: SubscriptionItem): string | undefined {
  const product = item.price.product;
  return typeof product === 'string' ? product : (product?.id ?? undefined);
}

/**
 * Applies discounts in order to per-period item amounts: a percentage lowers every item it applies to, a fixed
 * amount (per invoice, in the subscription's currency) lowers them in proportion, never below zero.
 */
function applyDiscounts(amounts: number[], items: SubscriptionItem[], discounts: ReadonlyArray<Discount | string>, currency: string, lookups: RevenueLookups, notes: string[], where: string): void {
  for (const discount of discounts) {
    const coupon = couponOf(discount, lookups);
    if (typeof coupon === 'string') {
      notes.push(`${where}: ${coupon}; it is left out`);
      continue;
    }
    if (!recurs(discount, coupon, lookups.now)) continue;
    const eligible = items.map((item) => !coupon.applies_to?.products || coupon.applies_to.products.includes(productOf(item) ?? ''));
    if (coupon.percent_off !== null && coupon.percent_off !== undefined) {
      amounts.forEach((a, i) => (amounts[i] = eligible[i] ? a * (1 - coupon.percent_off! / 100) : a));
      continue;
    }
    const off = coupon.currency?.toLowerCase() === currency ? coupon.amount_off : coupon.currency_options?.[currency]?.amount_off;
    if (off === null || off === undefined) {
      notes.push(`${where}: coupon ${coupon.id} has no amount in ${currency.toUpperCase()}; it is left out`);
      continue;
    }
    const base = amounts.reduce((sum, a, i) => sum + (eligible[i] ? a : 0), 0);
    if (base <= 0) continue;
    const factor = Math.max(0, base - off) / base;
    amounts.forEach((a, i) => (amounts[i] = eligible[i] ? a * factor : a));
  }
}

/**
 * One subscription's annual revenue: each recurring item's amount per period (quantity, tiers), its own discounts,
 * then the subscription's (or, without any, the customer's), times the periods in a year; in major units.
 * Undefined when the subscription does not count (its status, or collection paused).
 */
export function subscriptionRevenue(subscription: Subscription, customerDiscount: Discount | null | undefined, lookups: RevenueLookups): SubscriptionRevenue | undefined {
  if (!lookups.statuses.has(subscription.status) || subscription.pause_collection) return undefined;
  const notes: string[] = [];
  const where = `subscription ${subscription.id}`;
  const items: SubscriptionItem[] = [];
  const amounts: number[] = [];
  for (const item of subscription.items.data) {
    const amount = itemAmount(item, lookups);
    if (typeof amount === 'string') {
      notes.push(`${where}: ${amount}; the item is left out`);
      continue;
    }
    const itemAmounts = [amount];
    applyDiscounts(itemAmounts, [item], item.discounts ?? [], item.price.currency.toLowerCase(), lookups, notes, `${where} item ${item.id}`);
    items.push(item);
    amounts.push(itemAmounts[0]!);
  }
  const currency = (subscription.currency ?? items[0]?.price.currency ?? subscription.items.data[0]?.price.currency ?? 'usd').toLowerCase();
  const own = subscription.discounts ?? [];
  applyDiscounts(amounts, items, own.length > 0 ? own : customerDiscount ? [customerDiscount] : [], currency, lookups, notes, where);
  const minor = amounts.reduce((sum, a, i) => sum + a * periodsPerYear(items[i]!.price.recurring!), 0);
  return { arr: minor / minorUnitsPerMajor(currency), currency: currency.toUpperCase(), notes };
}

export interface CustomerRevenue {
  /** Annual revenue in major units, rounded to cents; 0 when no subscription counts. */
  arr: number;
  currency: string;
  notes: string[];
}

/**
 * A customer's annual revenue: the sum over its subscriptions that count. Subscriptions in another currency than the
 * one most of them use are named in `notes` (amounts in two currencies are never added). Undefined when the customer
 * has no current subscription at all.
 */
export function customerRevenue(subscriptions: readonly Subscription[], customerDiscount: Discount | null | undefined, lookups: RevenueLookups): CustomerRevenue | undefined {
  if (subscriptions.length === 0) return undefined;
  const notes: string[] = [];
  const byCurrency = new Map<string, { arr: number; count: number }>();
  for (const subscription of subscriptions) {
    const revenue = subscriptionRevenue(subscription, customerDiscount, lookups);
    const currency = (revenue?.currency ?? subscription.currency ?? subscription.items.data[0]?.price.currency ?? 'usd').toUpperCase();
    const entry = byCurrency.get(currency) ?? { arr: 0, count: 0 };
    entry.arr += revenue?.arr ?? 0;
    entry.count += revenue ? 1 : 0;
    byCurrency.set(currency, entry);
    notes.push(...(revenue?.notes ?? []));
  }
  const [main, ...others] = [...byCurrency].sort((a, b) => b[1].count - a[1].count || b[1].arr - a[1].arr || a[0].localeCompare(b[0]));
  for (const [currency, { arr, count }] of others) {
    if (count > 0) notes.push(`${count} ${count === 1 ? 'subscription' : 'subscriptions'} in ${currency} (${Math.round(arr * 100) / 100} a year) left out: the account's ARR is in ${main![0]}`);
  }
  return { arr: Math.round(main![1].arr * 100) / 100, currency: main![0], notes };
}
