// A local fake of Stripe's API, just enough to test the stripe connector through Stripe's own Node SDK, built from
// Stripe's API reference (it cannot be reached from the tests):
// - https://docs.stripe.com/api/pagination: lists are { object: "list", url, has_more, data }, newest first, with
//   limit (1 to 100, default 10) and starting_after (the id of the last object of the previous page).
// - https://docs.stripe.com/expand: expand[] names fields to expand (data.… inside lists, at most four levels);
//   unexpanded, a related object is its id. Expanded sub-lists (a customer's subscriptions) hold the first 10.
// - https://docs.stripe.com/api/customers/object (subscriptions only when expanded; a deleted customer retrieves as
//   { id, object: "customer", deleted: true }), /api/subscriptions/object (items as a list, discounts as ids unless
//   expanded, pause_collection), /api/subscriptions/list (status: every status but canceled unless "all"),
//   /api/prices/object (tiers only with expand[]=tiers), /api/coupons/object, /api/discounts/object (source.coupon
//   is an id since 2025-09-30), /api/events/list (types[], created[gte]/[lte], newest first).
// - https://docs.stripe.com/error-handling and /api/errors: { error: { type, code, message, param } }; 401 for a bad
//   key, 403 for a restricted key without the permission, 404 resource_missing, 429 rate_limit.
import type { IncomingMessage } from 'node:http';
import { startFakeVendor, type FakeVendor, type FaultAnswer } from './fakeVendorHttp';

export interface FakePrice {
  id: string;
  product: string;
  currency: string;
  unit_amount?: number | null;
  interval: 'day' | 'week' | 'month' | 'year';
  interval_count?: number;
  usage_type?: 'licensed' | 'metered';
  billing_scheme?: 'per_unit' | 'tiered';
  tiers_mode?: 'graduated' | 'volume';
  tiers?: Array<{ up_to: number | null; unit_amount: number | null; flat_amount: number | null }>;
  transform_quantity?: { divide_by: number; round: 'up' | 'down' };
}

export interface FakeCoupon {
  id: string;
  percent_off?: number;
  amount_off?: number;
  currency?: string;
  duration: 'forever' | 'once' | 'repeating';
  duration_in_months?: number;
  applies_to?: { products: string[] };
}

export interface FakeDiscount {
  id: string;
  coupon: string;
  /** Epoch seconds, for repeating coupons. */
  end?: number | null;
}

export interface FakeSubscription {
  id: string;
  customer: string;
  status: string;
  created: number;
  items: Array<{ id: string; price: string; quantity?: number; discounts?: FakeDiscount[] }>;
  discounts?: FakeDiscount[];
  pause_collection?: { behavior: string } | null;
}

export interface FakeCustomer {
  id: string;
  created: number;
  email?: string | null;
  name?: string | null;
  metadata?: Record<string, string>;
  discount?: FakeDiscount | null;
  deleted?: boolean;
}

export interface FakeEvent {
  id: string;
  type: string;
  created: number;
  object: unknown;
}

export interface FakeStripe extends FakeVendor {
  customers: FakeCustomer[];
  subscriptions: FakeSubscription[];
  prices: Map<string, FakePrice>;
  coupons: Map<string, FakeCoupon>;
  events: FakeEvent[];
  /** Resources the key may read (Stripe's restricted-key permissions); a request for another answers 403. */
  readable: Set<string>;
  /** Records an event about a customer or a subscription, as Stripe does when they change. */
  emit(type: string, object: unknown, created: number): void;
}

const KNOWN = ['customers', 'subscriptions', 'subscription_items', 'coupons', 'prices', 'events'];

/** Parses Stripe-style query strings: `expand[]=a&expand[0]=b`, `created[gte]=1`, `types[1]=x`. */
function parseQuery(url: URL): { values: Map<string, string>; arrays: Map<string, string[]>; ranges: Map<string, Record<string, string>> } {
  const values = new Map<string, string>();
  const arrays = new Map<string, string[]>();
  const ranges = new Map<string, Record<string, string>>();
  for (const [key, value] of url.searchParams) {
    const match = /^(\w+)\[(\w*)\]$/.exec(key);
    if (!match) values.set(key, value);
    else if (match[2] === '' || /^\d+$/.test(match[2]!)) arrays.set(match[1]!, [...(arrays.get(match[1]!) ?? []), value]);
    else ranges.set(match[1]!, { ...ranges.get(match[1]!), [match[2]!]: value });
  }
  return { values, arrays, ranges };
}

function error(status: number, type: string, message: string, extra: Record<string, string> = {}): FaultAnswer {
  return { status, body: { error: { type, message, ...extra } } };
}

export async function startFakeStripe(options: { key: string }): Promise<FakeStripe> {
  const customers: FakeCustomer[] = [];
  const subscriptions: FakeSubscription[] = [];
  const prices = new Map<string, FakePrice>();
  const coupons = new Map<string, FakeCoupon>();
  const events: FakeEvent[] = [];
  const readable = new Set(KNOWN);

  const renderCoupon = (c: FakeCoupon) => ({
    id: c.id,
    object: 'coupon',
    amount_off: c.amount_off ?? null,
    created: 1_700_000_000,
    currency: c.currency ?? null,
    duration: c.duration,
    duration_in_months: c.duration_in_months ?? null,
    livemode: false,
    max_redemptions: null,
    metadata: {},
    name: null,
    percent_off: c.percent_off ?? null,
    redeem_by: null,
    times_redeemed: 1,
    valid: true,
    ...(c.applies_to ? { applies_to: c.applies_to } : {}),
  });
  const renderPrice = (p: FakePrice, withTiers: boolean) => ({
    id: p.id,
    object: 'price',
    active: true,
    billing_scheme: p.billing_scheme ?? 'per_unit',
    created: 1_700_000_000,
    currency: p.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: p.product,
    recurring: { interval: p.interval, interval_count: p.interval_count ?? 1, meter: null, trial_period_days: null, usage_type: p.usage_type ?? 'licensed' },
    tax_behavior: 'unspecified',
    tiers_mode: p.tiers_mode ?? null,
    transform_quantity: p.transform_quantity ?? null,
    type: 'recurring',
    unit_amount: p.unit_amount ?? null,
    unit_amount_decimal: p.unit_amount === null || p.unit_amount === undefined ? null : String(p.unit_amount),
    ...(withTiers && p.tiers ? { tiers: p.tiers.map((t) => ({ ...t, flat_amount_decimal: t.flat_amount === null ? null : String(t.flat_amount), unit_amount_decimal: t.unit_amount === null ? null : String(t.unit_amount) })) } : {}),
  });
  const renderDiscount = (d: FakeDiscount, where: { customer: string; subscription?: string; item?: string }) => ({
    id: d.id,
    object: 'discount',
    checkout_session: null,
    customer: where.customer,
    customer_account: null,
    end: d.end ?? null,
    invoice: null,
    invoice_item: null,
    promotion_code: null,
    source: { type: 'coupon', coupon: d.coupon },
    start: 1_700_000_000,
    subscription: where.subscription ?? null,
    subscription_item: where.item ?? null,
  });
  const list = (url: string, data: unknown[], hasMore: boolean) => ({ object: 'list', url, has_more: hasMore, data });
  const renderItems = (s: FakeSubscription, expandDiscounts: boolean) =>
    s.items.map((item) => ({
      id: item.id,
      object: 'subscription_item',
      created: s.created,
      current_period_end: s.created + 30 * 86_400,
      current_period_start: s.created,
      discounts: (item.discounts ?? []).map((d) => (expandDiscounts ? renderDiscount(d, { customer: s.customer, item: item.id }) : d.id)),
      metadata: {},
      price: renderPrice(prices.get(item.price)!, false),
      quantity: item.quantity ?? 1,
      subscription: s.id,
      tax_rates: [],
    }));
  const renderSubscription = (s: FakeSubscription, expand: Set<string>) => {
    const items = renderItems(s, expand.has('items.data.discounts'));
    return {
      id: s.id,
      object: 'subscription',
      application: null,
      cancel_at_period_end: false,
      canceled_at: s.status === 'canceled' ? s.created + 1 : null,
      collection_method: 'charge_automatically',
      created: s.created,
      currency: prices.get(s.items[0]!.price)!.currency,
      customer: s.customer,
      description: null,
      discounts: (s.discounts ?? []).map((d) => (expand.has('discounts') ? renderDiscount(d, { customer: s.customer, subscription: s.id }) : d.id)),
      ended_at: null,
      items: list(`/v1/subscription_items?subscription=${s.id}`, items.slice(0, 10), items.length > 10),
      latest_invoice: null,
      livemode: false,
      metadata: {},
      pause_collection: s.pause_collection ?? null,
      start_date: s.created,
      status: s.status,
      trial_end: null,
      trial_start: null,
    };
  };
  const current = (s: FakeSubscription) => s.status !== 'canceled' && s.status !== 'incomplete_expired';
  const renderCustomer = (c: FakeCustomer, expand: Set<string>, prefix: string) => {
    if (c.deleted) return { id: c.id, object: 'customer', deleted: true };
    const subs = subscriptions.filter((s) => s.customer === c.id && current(s)).sort((a, b) => b.created - a.created);
    const subExpand = new Set([...expand].filter((e) => e.startsWith(`${prefix}subscriptions.data.`)).map((e) => e.slice(`${prefix}subscriptions.data.`.length)));
    return {
      id: c.id,
      object: 'customer',
      address: null,
      balance: 0,
      created: c.created,
      currency: 'usd',
      default_source: null,
      delinquent: false,
      description: null,
      discount: c.discount ? renderDiscount(c.discount, { customer: c.id }) : null,
      email: c.email ?? null,
      invoice_prefix: c.id.slice(4, 12).toUpperCase(),
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      livemode: false,
      metadata: c.metadata ?? {},
      name: c.name ?? null,
      phone: null,
      preferred_locales: [],
      shipping: null,
      tax_exempt: 'none',
      test_clock: null,
      ...(expand.has(`${prefix}subscriptions`) || subExpand.size > 0
        ? { subscriptions: list(`/v1/customers/${c.id}/subscriptions`, subs.slice(0, 10).map((s) => renderSubscription(s, subExpand)), subs.length > 10) }
        : {}),
    };
  };
  /** Newest first, then a page of `limit` after `starting_after`. */
  const page = <T extends { id: string; created: number }>(all: T[], query: ReturnType<typeof parseQuery>) => {
    const limit = Math.max(1, Math.min(100, Number(query.values.get('limit') ?? '10')));
    const sorted = [...all].sort((a, b) => b.created - a.created || b.id.localeCompare(a.id));
    const after = query.values.get('starting_after');
    const start = after ? sorted.findIndex((x) => x.id === after) + 1 : 0;
    if (after && start === 0) return undefined;
    return { items: sorted.slice(start, start + limit), hasMore: start + limit < sorted.length };
  };
  const missing = (what: string, id: string) => error(404, 'invalid_request_error', `No such ${what}: '${id}'`, { code: 'resource_missing', param: 'id' });

  const fake = await startFakeVendor({
    authorized: (req: IncomingMessage) => req.headers.authorization === `Bearer ${options.key}`,
    unauthorized: error(401, 'invalid_request_error', `Invalid API Key provided: ${'rk_test_'}****${'wxyz'}`),
    headers: () => ({ 'request-id': `req_${Math.random().toString(36).slice(2, 12)}`, 'stripe-version': '2026-10-28.endive' }),
    answer(method, url) {
      if (method !== 'GET') return error(405, 'invalid_request_error', 'Unrecognized request URL (POST). The fake only reads.');
      const [, v1, resource, id, ...rest] = url.pathname.split('/');
      if (v1 !== 'v1' || !resource || !KNOWN.includes(resource) || rest.length > 0) return error(404, 'invalid_request_error', `Unrecognized request URL (GET: ${url.pathname}).`);
      if (!readable.has(resource)) {
        return error(403, 'invalid_request_error', `The provided key 'rk_test_****wxyz' does not have the required permissions for this endpoint on account 'acct_1Fake'. Having the 'rak_${resource.replace(/s$/, '')}_read' permission would allow this request to continue.`);
      }
      const query = parseQuery(url);
      const expand = new Set(query.arrays.get('expand') ?? []);
      const listed = <T extends { id: string; created: number }>(all: T[], render: (x: T) => unknown) => {
        const result = page(all, query);
        if (!result) return error(400, 'invalid_request_error', `No such object: '${query.values.get('starting_after')}'`, { param: 'starting_after' });
        return { status: 200, body: list(url.pathname, result.items.map(render), result.hasMore) };
      };
      switch (resource) {
        case 'customers': {
          if (id) {
            const c = customers.find((x) => x.id === id);
            return c ? { status: 200, body: renderCustomer(c, expand, '') } : missing('customer', id);
          }
          return listed(customers.filter((c) => !c.deleted), (c) => renderCustomer(c, expand, 'data.'));
        }
        case 'subscriptions': {
          const subExpand = new Set([...expand].map((e) => e.replace(/^data\./, '')));
          if (id) {
            const s = subscriptions.find((x) => x.id === id);
            return s ? { status: 200, body: renderSubscription(s, expand) } : missing('subscription', id);
          }
          const customer = query.values.get('customer');
          const status = query.values.get('status');
          const all = subscriptions.filter((s) => (!customer || s.customer === customer) && (status === 'all' ? true : status ? s.status === status : s.status !== 'canceled'));
          return listed(all, (s) => renderSubscription(s, subExpand));
        }
        case 'subscription_items': {
          const s = subscriptions.find((x) => x.id === query.values.get('subscription'));
          if (!s) return missing('subscription', query.values.get('subscription') ?? '');
          const rendered = renderItems(s, expand.has('data.discounts'));
          // Items list oldest first in Stripe; the fake keeps the order they were added in, ids decide the pages.
          return listed(rendered.map((item, i) => ({ ...item, created: s.created + rendered.length - i })), (item) => item);
        }
        case 'coupons': {
          const c = id ? coupons.get(id) : undefined;
          return c ? { status: 200, body: renderCoupon(c) } : missing('coupon', id ?? '');
        }
        case 'prices': {
          const p = id ? prices.get(id) : undefined;
          return p ? { status: 200, body: renderPrice(p, expand.has('tiers')) } : missing('price', id ?? '');
        }
        case 'events': {
          const types = new Set(query.arrays.get('types') ?? []);
          const created = query.ranges.get('created') ?? {};
          const all = events.filter(
            (e) =>
              (types.size === 0 || types.has(e.type)) &&
              (created.gte === undefined || e.created >= Number(created.gte)) &&
              (created.gt === undefined || e.created > Number(created.gt)) &&
              (created.lte === undefined || e.created <= Number(created.lte)),
          );
          return listed(all, (e) => ({ id: e.id, object: 'event', api_version: '2026-10-28.endive', created: e.created, data: { object: e.object }, livemode: false, pending_webhooks: 0, request: { id: null, idempotency_key: null }, type: e.type }));
        }
        default:
          return error(404, 'invalid_request_error', `Unrecognized request URL (GET: ${url.pathname}).`);
      }
    },
  });
  let eventCounter = 0;
  return Object.assign(fake, {
    customers,
    subscriptions,
    prices,
    coupons,
    events,
    readable,
    emit(type: string, object: unknown, created: number) {
      events.push({ id: `evt_${String(++eventCounter).padStart(6, '0')}`, type, created, object });
    },
  });
}
