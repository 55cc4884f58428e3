/**
 * What connectors hand to the hub: vendor data already mapped to a handful of vendor-neutral record kinds. The sync
 * loop parses every record with these schemas (a connector's output is a boundary too), masks personal data, and
 * stores the record keyed by (source, stream, vendor id). The computation reads only these shapes, so a new vendor
 * needs a connector and nothing else.
 */
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}/, { message: 'expected an ISO 8601 date such as 2026-11-02' });
const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * A reference from a ticket (or quote) to the customer account it came from. The hub joins it to an account record
 * by domain first, then by an external id, then by the account's id or name (see accounts.ts).
 */
export const accountRefSchema = z.object({
  /** The account's id or name as the vendor shows it (`account` column of a tickets export, an organization id). */
  key: z.string().min(1).optional(),
  domain: z.string().min(1).optional(),
  /** Ids of the same account in other systems, e.g. `{ "salesforce": "0015g00000abc" }`. */
  externalIds: z.record(z.string(), z.string()).optional(),
});

/** Ticket statuses the hub understands; vendors map theirs onto these. */
export const ticketStatusSchema = z.enum(['open', 'pending', 'on-hold', 'solved', 'closed', 'planned', 'in-progress']);
export const ticketPrioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);

/** One support ticket, conversation or thread. Tickets are grouped into problems by the computation. */
export const ticketRecordSchema = z.object({
  kind: z.literal('ticket'),
  id: z.string().min(1),
  title: z.string().min(1),
  status: ticketStatusSchema,
  priority: ticketPrioritySchema.optional(),
  tags: z.array(z.string()),
  account: accountRefSchema.optional(),
  createdAt: isoDate,
  updatedAt: isoDate,
  url: httpUrl.optional(),
  text: z.string().optional(),
  /** Groups tickets into one problem (a Zendesk problem ticket id, a `problem` column); else the title groups them. */
  problem: z.string().min(1).optional(),
});

/**
 * An item that already is a problem in its tool (a GitHub issue, a Linear issue): it is not grouped further.
 * `customers`/`arr` are given when the tool knows them (Linear customer needs), else left out.
 */
export const problemRecordSchema = z.object({
  kind: z.literal('problem'),
  id: z.string().min(1),
  title: z.string().min(1),
  detail: z.string().optional(),
  status: z.enum(['open', 'planned', 'in-progress', 'solved']),
  severity: z.enum(['low', 'medium', 'high', 'critical']).optional(),
  tags: z.array(z.string()),
  mentions: z.number().int().nonnegative(),
  customers: z.number().int().nonnegative().optional(),
  arr: z.number().nonnegative().optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  createdAt: isoDate,
  updatedAt: isoDate,
  url: httpUrl.optional(),
});

/** A customer account (organization, company, customer) and, when this source is trusted for it, its revenue. */
export const accountRecordSchema = z.object({
  kind: z.literal('account'),
  id: z.string().min(1),
  name: z.string().min(1),
  domain: z.string().min(1).optional(),
  externalIds: z.record(z.string(), z.string()).optional(),
  /** Annual recurring revenue in major units (dollars, not cents). */
  arr: z.number().nonnegative().optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  segment: z.string().optional(),
});

/** A daily count of one analytics event. `id` is `<date>:<event>`, so a day re-sent replaces itself. */
export const usageRecordSchema = z.object({
  kind: z.literal('usage'),
  id: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a day such as 2026-11-02' }),
  event: z.string().min(1),
  value: z.number().finite(),
});

/** Something a customer said outside a ticket (an interview note, a customer need). */
export const quoteRecordSchema = z.object({
  kind: z.literal('quote'),
  id: z.string().min(1),
  /** What the customer said. Only a quote about a `problem` may have none (a customer need recorded without words). */
  text: z.string().min(1).optional(),
  tags: z.array(z.string()),
  author: z.string().optional(),
  account: accountRefSchema.optional(),
  date: isoDate,
  url: httpUrl.optional(),
  /**
   * The id of a problem record of the same source this quote is about (a Linear customer need on its issue). Such
   * quotes give that problem its `customers` and `arr` (their accounts, joined like tickets') and show under its
   * features.
   */
  problem: z.string().min(1).optional(),
}).refine((q) => q.text !== undefined || q.problem !== undefined, { message: 'a quote needs a text (unless it is about a problem)', path: ['text'] });

export const hubRecordSchema = z.discriminatedUnion('kind', [
  ticketRecordSchema,
  problemRecordSchema,
  accountRecordSchema,
  usageRecordSchema,
  quoteRecordSchema,
]);

export type AccountRef = z.infer<typeof accountRefSchema>;
export type TicketRecord = z.infer<typeof ticketRecordSchema>;
export type ProblemRecord = z.infer<typeof problemRecordSchema>;
export type AccountRecord = z.infer<typeof accountRecordSchema>;
export type UsageRecord = z.infer<typeof usageRecordSchema>;
export type QuoteRecord = z.infer<typeof quoteRecordSchema>;
export type HubRecord = z.infer<typeof hubRecordSchema>;
export type RecordKind = HubRecord['kind'];
