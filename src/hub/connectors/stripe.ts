// `stripe`: customers' annual recurring revenue from their subscriptions, as accounts.
// API (through Stripe's official Node SDK, `stripe`, pinned to its API version):
// - List customers https://docs.stripe.com/api/customers/list (limit, starting_after, has_more) with
//   expand[]=data.subscriptions and data.subscriptions.data.discounts (https://docs.stripe.com/expand: at most four
//   levels); retrieve a customer https://docs.stripe.com/api/customers/retrieve ({ deleted: true } once deleted).
// - List subscriptions https://docs.stripe.com/api/subscriptions/list (customer, status=all) and subscription items
//   https://docs.stripe.com/api/subscription_items/list, for customers or subscriptions with more than the first page.
// - Retrieve a coupon https://docs.stripe.com/api/coupons/retrieve (since API version 2025-09-30 a discount names
//   its coupon in source.coupon instead of embedding it) and a price with expand[]=tiers
//   https://docs.stripe.com/api/prices/retrieve.
// - List events https://docs.stripe.com/api/events/list (types[], created[gte]/[lte]; kept 30 days): the
//   incremental sync after the first full pass.
// - Rate limits https://docs.stripe.com/rate-limits: 100 requests a second in live mode, 25 in a sandbox and 25 per
//   endpoint; 429 when exceeded.
// The SDK sends every request through the hub's HTTP client (stripeSdk.ts). The hub only reads: a restricted key
// with read access to Customers, Subscriptions, Coupons, Prices and Events is enough. The annual revenue rules live
// in stripeRevenue.ts.
import type Stripe from 'stripe';
import { z } from 'zod';
import type { AccountRecord } from '../records';
import { ConnectorError, RateLimitedError, type ConnectorContext, type ConnectorDefinition, type Cursor, type StreamPage } from './connector';
import { normaliseDomain } from './csvExport';
import { companyDomainOf } from './emailDomain';
import { call, stripeClient, unwrap } from './stripeSdk';
import {
  couponSchema,
  customerRevenue,
  customerSchema,
  priceSchema,
  subscriptionItemSchema,
  subscriptionSchema,
  type Coupon,
  type Price,
  type RevenueLookups,
  type StripeCustomer,
  type Subscription,
} from './stripeRevenue';

const envRef = z.strictObject(
  { env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'an environment variable name such as STRIPE_API_KEY' }) },
  { error: 'write { env: NAME }: credentials come from the environment, never from the config file' },
);
const metadataKey = z.string().min(1, { message: 'expected a metadata key (1 to 40 characters)' }).max(40, { message: 'expected a metadata key (1 to 40 characters)' });

export const stripeOptionsSchema = z.strictObject({
  token: envRef.meta({ description: 'The environment variable holding a restricted key (rk_…) with read access to Customers, Subscriptions, Coupons, Prices and Events.' }),
  baseUrl: z.url({ protocol: /^https?$/, message: 'expected an http(s) URL such as https://api.stripe.com' }).default('https://api.stripe.com').meta({ description: 'https://api.stripe.com.' }),
  statuses: z
    .array(z.enum(['active', 'past_due', 'trialing', 'unpaid', 'incomplete', 'paused']))
    .min(1)
    .default(['active', 'past_due'])
    .meta({ description: 'Subscription statuses that count as paying.' }),
  metadata: z
    .strictObject({
      domain: metadataKey.optional().meta({ description: 'The customer metadata key holding the company\'s domain (default: the domain of the customer\'s e-mail).' }),
      segment: metadataKey.optional().meta({ description: 'The customer metadata key holding the segment (plan, tier).' }),
      externalIds: z.record(z.string().min(1), metadataKey).optional().meta({ description: 'Ids of the same account elsewhere: { id name: metadata key }, e.g. { hubspot: hubspot_company_id }.' }),
    })
    .optional(),
});
export type StripeOptions = z.infer<typeof stripeOptionsSchema>;

/** The events that change what a customer pays, or who they are. */
const EVENT_TYPES = [
  'customer.updated',
  'customer.deleted',
  'customer.discount.created',
  'customer.discount.updated',
  'customer.discount.deleted',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
];
/** Stripe keeps events for 30 days; an older cursor starts a full pass. */
const EVENTS_KEPT_SECONDS = 29 * 86_400;
/** How far behind the clock an incremental sync's cursor stays: events may be listed a little after their `created`. */
const EVENT_LAG_SECONDS = 300;
/** Beyond this many changed customers, a full pass (100 a request) is cheaper than fetching each. */
const MAX_CHANGED_CUSTOMERS = 300;
const CUSTOMERS_PER_PAGE = 25;
const CUSTOMER_EXPAND = ['data.subscriptions', 'data.subscriptions.data.discounts'];

function issue(error: z.ZodError): string {
  const first = error.issues[0];
  return `field "${first?.path.join('.') ?? ''}": ${first?.message ?? 'invalid'}`;
}

/** Everything one sync reads besides customer pages: coupons and tiered prices, each fetched once. */
class StripeReader {
  private readonly coupons = new Map<string, Coupon | undefined>();
  private readonly prices = new Map<string, Price | undefined>();

  constructor(
    private readonly stripe: Stripe,
    private readonly options: StripeOptions,
    private readonly context: ConnectorContext,
  ) {}

  async *customerPages(startingAfter: string | undefined): AsyncIterable<{ customers: unknown[]; hasMore: boolean }> {
    let after = startingAfter;
    for (;;) {
      const page = await call(() => this.stripe.customers.list({ limit: 100, expand: CUSTOMER_EXPAND, ...(after ? { starting_after: after } : {}) }));
      yield { customers: page.data, hasMore: page.has_more };
      if (!page.has_more || page.data.length === 0) return;
      after = page.data[page.data.length - 1]!.id;
    }
  }

  /** A customer as Stripe has it now, or `deleted`. */
  async customer(id: string): Promise<unknown> {
    return call(() => this.stripe.customers.retrieve(id, { expand: ['subscriptions', 'subscriptions.data.discounts'] }));
  }

  /** Customer ids whose revenue or identity changed in [since, until], in id order, and the newest event. */
  async changedCustomers(since: number, until: number, seen: ReadonlySet<string>): Promise<{ ids: string[]; newest: number; newestIds: string[] }> {
    const ids = new Set<string>();
    let newest = since;
    let newestIds: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await call(() => this.stripe.events.list({ types: EVENT_TYPES, created: { gte: since, lte: until }, limit: 100, ...(after ? { starting_after: after } : {}) }));
      for (const event of page.data) {
        if (seen.has(event.id)) continue;
        const object = event.data.object as { object?: string; id?: string; customer?: string | { id: string } | null };
        const customer = object.object === 'customer' ? object.id : typeof object.customer === 'string' ? object.customer : object.customer?.id;
        if (customer) ids.add(customer);
        if (event.created > newest) {
          newest = event.created;
          newestIds = [event.id];
        } else if (event.created === newest) newestIds.push(event.id);
      }
      if (!page.has_more || page.data.length === 0) break;
      after = page.data[page.data.length - 1]!.id;
    }
    return { ids: [...ids].sort(), newest, newestIds };
  }

  /** The account record of a customer, or undefined when it has no current subscription (it pays nothing). */
  async account(raw: unknown, warnings: string[]): Promise<{ record?: AccountRecord; id?: string }> {
    const parsed = customerSchema.safeParse(raw);
    const rawId = (raw as { id?: unknown } | null)?.id;
    if (!parsed.success) {
      warnings.push(`stripe customer ${typeof rawId === 'string' ? rawId : '?'}: ${issue(parsed.error)}; skipped`);
      return {};
    }
    const customer = parsed.data;
    if (customer.deleted) return { id: customer.id };
    const subscriptions = await this.subscriptionsOf(customer, warnings);
    const revenue = customerRevenue(subscriptions, customer.discount, await this.lookups(customer, subscriptions, warnings));
    if (!revenue) return { id: customer.id };
    for (const note of revenue.notes) warnings.push(`stripe customer ${customer.id}: ${note}`);
    const metadata = customer.metadata ?? {};
    const keys = this.options.metadata;
    const fromMetadata = keys?.domain ? metadata[keys.domain]?.trim() : undefined;
    const domain = fromMetadata ? normaliseDomain(fromMetadata) : companyDomainOf(customer.email);
    const externalIds: Record<string, string> = { stripe: customer.id };
    for (const [name, key] of Object.entries(keys?.externalIds ?? {})) {
      const value = metadata[key]?.trim();
      if (value) externalIds[name] = value;
    }
    const segment = keys?.segment ? metadata[keys.segment]?.trim() : undefined;
    const name = [customer.name, customer.business_name, customer.description, domain, customer.id].find((n): n is string => typeof n === 'string' && n.trim() !== '')!.trim();
    return {
      id: customer.id,
      record: {
        kind: 'account',
        id: customer.id,
        name,
        ...(domain ? { domain } : {}),
        externalIds,
        arr: revenue.arr,
        currency: revenue.currency,
        ...(segment ? { segment } : {}),
      },
    };
  }

  /** Every current subscription of a customer with all its items, and its discounts' details. */
  private async subscriptionsOf(customer: StripeCustomer, warnings: string[]): Promise<Subscription[]> {
    let list: Array<{ status?: unknown }> = customer.subscriptions?.data ?? [];
    if (customer.subscriptions?.has_more) {
      list = [];
      let after: string | undefined;
      for (;;) {
        const page = await call(() => this.stripe.subscriptions.list({ customer: customer.id, status: 'all', limit: 100, expand: ['data.discounts'], ...(after ? { starting_after: after } : {}) }));
        list.push(...page.data);
        if (!page.has_more || page.data.length === 0) break;
        after = page.data[page.data.length - 1]!.id;
      }
    }
    const subscriptions: Subscription[] = [];
    // Ended subscriptions are history: a customer with nothing else pays nothing and has no account here.
    for (const raw of list.filter((s) => s.status !== 'canceled' && s.status !== 'incomplete_expired')) {
      const parsed = subscriptionSchema.safeParse(raw);
      if (!parsed.success) {
        warnings.push(`stripe customer ${customer.id} subscription ${(raw as { id?: string }).id ?? '?'}: ${issue(parsed.error)}; left out`);
        continue;
      }
      let subscription = parsed.data;
      // Item discounts are ids unless the subscription itself is fetched with them expanded (too deep from a customer).
      const itemDiscountIds = subscription.items.data.some((item) => (item.discounts ?? []).some((d) => typeof d === 'string'));
      const ownDiscountIds = (subscription.discounts ?? []).some((d) => typeof d === 'string');
      if (itemDiscountIds || ownDiscountIds) {
        const again = subscriptionSchema.safeParse(await call(() => this.stripe.subscriptions.retrieve(subscription.id, { expand: ['discounts', 'items.data.discounts'] })));
        if (again.success) subscription = again.data;
      }
      if (subscription.items.has_more) {
        const items: unknown[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await call(() => this.stripe.subscriptionItems.list({ subscription: subscription.id, limit: 100, expand: ['data.discounts'], ...(after ? { starting_after: after } : {}) }));
          items.push(...page.data);
          if (!page.has_more || page.data.length === 0) break;
          after = page.data[page.data.length - 1]!.id;
        }
        const parsedItems = z.array(subscriptionItemSchema).safeParse(items);
        if (parsedItems.success) subscription = { ...subscription, items: { ...subscription.items, data: parsedItems.data, has_more: false } };
      }
      subscriptions.push(subscription);
    }
    return subscriptions;
  }

  /** Fetches the coupons and tiered prices these subscriptions need (once per sync) and answers from them. */
  private async lookups(customer: StripeCustomer, subscriptions: readonly Subscription[], warnings: string[]): Promise<RevenueLookups> {
    const couponIds = new Set<string>();
    const tiered = new Set<string>();
    const discounts = [customer.discount, ...subscriptions.flatMap((s) => [...(s.discounts ?? []), ...s.items.data.flatMap((i) => i.discounts ?? [])])];
    for (const d of discounts) {
      const coupon = d && typeof d !== 'string' ? d.source?.coupon : undefined;
      if (typeof coupon === 'string') couponIds.add(coupon);
    }
    for (const s of subscriptions) for (const i of s.items.data) if (i.price.billing_scheme === 'tiered' && !i.price.tiers) tiered.add(i.price.id);
    for (const id of couponIds) {
      if (this.coupons.has(id)) continue;
      try {
        const parsed = couponSchema.safeParse(await call(() => this.stripe.coupons.retrieve(id)));
        this.coupons.set(id, parsed.success ? parsed.data : undefined);
        if (!parsed.success) warnings.push(`stripe coupon ${id}: ${issue(parsed.error)}`);
      } catch (error) {
        if (!(error instanceof ConnectorError && error.status === 404)) throw error;
        this.coupons.set(id, undefined); // a deleted coupon: Stripe cannot say what it took off
      }
    }
    for (const id of tiered) {
      if (this.prices.has(id)) continue;
      const parsed = priceSchema.safeParse(await call(() => this.stripe.prices.retrieve(id, { expand: ['tiers'] })));
      this.prices.set(id, parsed.success ? parsed.data : undefined);
    }
    return {
      now: this.context.now(),
      statuses: new Set(this.options.statuses),
      coupon: (id) => this.coupons.get(id),
      tieredPrice: (id) => this.prices.get(id),
    };
  }
}

export const stripeConnector: ConnectorDefinition<StripeOptions> = {
  kind: 'stripe',
  description: 'Customers\' annual recurring revenue from their Stripe subscriptions (official Node SDK)',
  options: stripeOptionsSchema,
  // Stripe's limit per endpoint, and for a whole sandbox account: 25 requests a second.
  defaultBudget: { requests: 25, perSeconds: 1 },
  defaultEverySeconds: 3600,
  create(options, context) {
    const key = context.secret(options.token);
    if (key === undefined) {
      throw new ConnectorError(`source "${context.sourceId}": the environment variable ${options.token.env} is not set; export a Stripe restricted key (read access to Customers, Subscriptions, Coupons, Prices, Events) in it`);
    }
    const base = new URL(options.baseUrl);
    let reader!: StripeReader;
    const connect = () => {
      reader = new StripeReader(stripeClient(key, base, context.http), options, context);
    };
    const nowSeconds = () => Math.floor(context.now() / 1000);

    /** A page of account records (and the customers that no longer pay) for these raw customers. */
    const pageOf = async (customers: readonly unknown[], cursor: Cursor): Promise<StreamPage> => {
      const page: StreamPage = { records: [], deleted: [], cursor, warnings: [] };
      for (const raw of customers) {
        const { record, id } = await reader.account(raw, page.warnings!);
        if (record) page.records.push({ record, raw });
        else if (id) page.deleted!.push(id);
      }
      return page;
    };

    /** Every customer, 100 a request; afterwards, changes come from the events since the pass started. */
    async function* fullPass(state: { after?: string; startedAt: number }): AsyncIterable<StreamPage> {
      for await (const { customers, hasMore } of reader.customerPages(state.after)) {
        if (context.signal.aborted) return;
        const last = (customers[customers.length - 1] as { id?: string } | undefined)?.id;
        const cursor: Cursor = hasMore && last ? { full: { after: last, startedAt: state.startedAt } } : { since: state.startedAt, seen: [] };
        yield await pageOf(customers, cursor);
      }
    }

    /** The customers named by events since the cursor, fetched one by one, in id order so a resume can skip ahead. */
    async function* changes(cursor: Cursor): AsyncIterable<StreamPage> {
      const since = cursor.since as number;
      const seen = new Set(Array.isArray(cursor.seen) ? (cursor.seen as unknown[]).filter((s): s is string => typeof s === 'string') : []);
      const pending = cursor.pending as { until?: unknown; after?: unknown } | undefined;
      const until = typeof pending?.until === 'number' ? pending.until : nowSeconds();
      const { ids, newest, newestIds } = await reader.changedCustomers(since, until, seen);
      if (ids.length > MAX_CHANGED_CUSTOMERS) {
        context.log(`${ids.length} customers changed since the last sync; reading them all instead`);
        yield* fullPass({ startedAt: until });
        return;
      }
      // A quiet account moves its cursor on too (keeping a margin for events Stripe records late), or it would fall
      // out of the 30 days of events and cost a full pass.
      const floor = until - EVENT_LAG_SECONDS;
      const done: Cursor =
        Math.max(newest, since) < floor ? { since: floor, seen: [] } : newest > since ? { since: newest, seen: newestIds } : { since, seen: [...seen, ...newestIds] };
      const after = typeof pending?.after === 'string' ? pending.after : undefined;
      const todo = after ? ids.filter((id) => id > after) : ids;
      if (todo.length === 0) {
        yield { records: [], cursor: done };
        return;
      }
      for (let i = 0; i < todo.length; i += CUSTOMERS_PER_PAGE) {
        if (context.signal.aborted) return;
        const chunk = todo.slice(i, i + CUSTOMERS_PER_PAGE);
        const customers = [];
        for (const id of chunk) customers.push(await reader.customer(id));
        const last = i + CUSTOMERS_PER_PAGE >= todo.length;
        yield await pageOf(customers, last ? done : { since, seen: [...seen], pending: { until, after: chunk[chunk.length - 1]! } });
      }
    }

    return [
      {
        name: 'customers',
        async *read(cursor: Cursor | undefined): AsyncIterable<StreamPage> {
          try {
            connect();
            const full = cursor?.full as { after?: unknown; startedAt?: unknown } | undefined;
            if (full && typeof full.startedAt === 'number') {
              yield* fullPass({ startedAt: full.startedAt, ...(typeof full.after === 'string' ? { after: full.after } : {}) });
            } else if (typeof cursor?.since === 'number' && nowSeconds() - cursor.since < EVENTS_KEPT_SECONDS) {
              yield* changes(cursor);
            } else {
              yield* fullPass({ startedAt: nowSeconds() });
            }
          } catch (error) {
            if (error instanceof ConnectorError || error instanceof RateLimitedError) throw error;
            throw unwrap(error);
          }
        },
      },
    ];
  },
};
