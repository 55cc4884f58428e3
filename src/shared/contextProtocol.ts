/**
 * Customer context protocol v1: the wire format of a context endpoint (`GET /v1/context`, `GET /v1/features`) and of
 * the context file a map names with `context:`. One zod schema per shape, the single source of truth for the types,
 * the validation and the generated JSON Schema. Unknown fields are ignored (forward compatible).
 */
import { z } from 'zod';

/** The protocol version this build speaks. */
export const PROTOCOL_VERSION = 1;

/** The most feature ids one `/v1/context` request may carry. */
export const MAX_IDS_PER_REQUEST = 50;

/** An ISO 8601 date or date-time, as sent by endpoints (`2026-11-02` or `2026-11-02T09:30:00Z`). */
export const isoDateSchema = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), { message: 'expected an ISO 8601 date such as 2026-11-02' });

/** A link to a source: a ticket, a recording, a dashboard. */
export const linkSchema = z.object({
  title: z.string().min(1),
  url: z.url(),
});

/** How bad a customer problem is. */
export const severitySchema = z.enum(['low', 'medium', 'high', 'critical']);

/** Where the team is with a customer problem. */
export const problemStatusSchema = z.enum(['open', 'planned', 'in-progress', 'solved']);

/** A customer problem, usually aggregated from support tickets. */
export const problemSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  detail: z.string().optional(),
  /** How many customers hit it. */
  customers: z.number().int().nonnegative().optional(),
  /** How many tickets, calls or threads mention it. */
  mentions: z.number().int().nonnegative().optional(),
  /** Annual recurring revenue of the affected customers. */
  arr: z.number().nonnegative().optional(),
  /** ISO 4217 code for `arr`, e.g. USD. */
  currency: z.string().min(3).max(3).optional(),
  severity: severitySchema.optional(),
  status: problemStatusSchema.optional(),
  /** Change ratio over the period: 0.25 means 25 % more than the previous period. */
  trend: z.number().optional(),
  source: z.string().optional(),
  url: z.url().optional(),
  updatedAt: isoDateSchema.optional(),
});

/** Sentiment of a quote. */
export const sentimentSchema = z.enum(['negative', 'neutral', 'positive']);

/** Something a customer said, in an interview, a call, a ticket or a review. */
export const quoteSchema = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  author: z.string().optional(),
  company: z.string().optional(),
  segment: z.string().optional(),
  date: isoDateSchema.optional(),
  source: z.string().optional(),
  url: z.url().optional(),
  sentiment: sentimentSchema.optional(),
});

/** One point of a usage series: time and value. */
export const seriesPointSchema = z.object({
  t: isoDateSchema,
  v: z.number(),
});

/** A usage metric: how much a feature is used, and whether that is changing. */
export const usageMetricSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  value: z.number(),
  unit: z.string().optional(),
  /** The period `value` covers, e.g. "7d", "30d". */
  period: z.string().optional(),
  /** Change ratio vs the previous period: -0.1 means 10 % less. */
  change: z.number().optional(),
  /** Analytics event name, matched against the map's `events`. */
  event: z.string().optional(),
  series: z.array(seriesPointSchema).optional(),
});

/** Everything known about one feature's customers. */
export const featureContextSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  /** Why the feature exists. */
  summary: z.string().optional(),
  updatedAt: isoDateSchema.optional(),
  problems: z.array(problemSchema).optional(),
  quotes: z.array(quoteSchema).optional(),
  usage: z.array(usageMetricSchema).optional(),
  links: z.array(linkSchema).optional(),
});

/** `GET /v1/context` response body, and the shape of a context file. */
export const contextResponseSchema = z.object({
  version: z.literal(PROTOCOL_VERSION),
  features: z.array(featureContextSchema),
});

/** One entry of `GET /v1/features`. */
export const featureListEntrySchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  updatedAt: isoDateSchema.optional(),
});

/** `GET /v1/features` response body. */
export const featureListResponseSchema = z.object({
  version: z.literal(PROTOCOL_VERSION),
  features: z.array(featureListEntrySchema),
});

/** The body of any non-2xx response (optional). */
export const errorResponseSchema = z.object({
  error: z.object({ message: z.string() }),
});

/** A link to a source. */
export type Link = z.infer<typeof linkSchema>;
/** A problem's severity. */
export type Severity = z.infer<typeof severitySchema>;
/** A problem's status. */
export type ProblemStatus = z.infer<typeof problemStatusSchema>;
/** A customer problem. */
export type Problem = z.infer<typeof problemSchema>;
/** A customer quote. */
export type Quote = z.infer<typeof quoteSchema>;
/** A usage metric. */
export type UsageMetric = z.infer<typeof usageMetricSchema>;
/** One feature's customer context. */
export type FeatureContext = z.infer<typeof featureContextSchema>;
/** A `/v1/context` response or a context file. */
export type ContextResponse = z.infer<typeof contextResponseSchema>;
/** A `/v1/features` response. */
export type FeatureListResponse = z.infer<typeof featureListResponseSchema>;
