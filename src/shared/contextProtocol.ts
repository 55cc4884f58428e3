/**
 * Customer context protocol v1: the wire format of a context endpoint (`GET /v1/context`, `GET /v1/features`) and of
 * the context file a map names with `context:`. One zod schema per shape, the single source of truth for the types,
 * the validation and the generated JSON Schema. Unknown fields are ignored (forward compatible).
 *
 * Everything an endpoint or a context file sends is untrusted: read it with {@link parseContextResponse} and
 * {@link parseFeatureListResponse}, which keep every valid item and drop an invalid one alone, with a warning.
 */
import { z } from 'zod';
import { boundFeatureContext, TEXT_LIMITS } from './contextBounds';
import { displayText } from './safeText';

/** The protocol version this build speaks. */
export const PROTOCOL_VERSION = 1;

/** The most feature ids one `/v1/context` request may carry. */
export const MAX_IDS_PER_REQUEST = 50;

/** The longest feature id the protocol accepts. */
export const MAX_FEATURE_ID_LENGTH = 128;

/**
 * A feature id as it travels in `?features=a,b`: 1–128 characters, no whitespace and no comma (the separator).
 * Map ids that do not fit are never sent.
 */
export const featureIdSchema = z
  .string()
  .min(1)
  .max(MAX_FEATURE_ID_LENGTH)
  .regex(/^[^\s,]+$/, { message: 'a feature id has no spaces and no commas' })
  .describe('A feature id, as in the map file: 1–128 characters, no whitespace, no comma.');

/** True when `id` may be sent in a `/v1/context` query. */
export function isValidFeatureId(id: string): boolean {
  return featureIdSchema.safeParse(id).success;
}

/** An ISO 8601 date or date-time, as sent by endpoints (`2026-11-02` or `2026-11-02T09:30:00Z`). */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}/, { message: 'expected an ISO 8601 date such as 2026-11-02' })
  .refine((value) => !Number.isNaN(Date.parse(value)), { message: 'expected an ISO 8601 date such as 2026-11-02' })
  .describe('An ISO 8601 date or date-time, e.g. 2026-11-02 or 2026-11-02T09:30:00Z.');

/**
 * A link target: http or https only. Other schemes (`javascript:`, `command:`, `file:`) could do harm when shown as a
 * link in a hover or the sidebar, so they are invalid.
 */
export const webUrlSchema = z
  .url({ protocol: /^https?$/, message: 'expected an http or https URL' })
  .meta({ pattern: '^[hH][tT][tT][pP][sS]?://' })
  .describe('An http or https URL.');

/** A link to a source: a ticket, a recording, a dashboard. */
export const linkSchema = z.object({
  title: z.string().min(1),
  url: webUrlSchema,
});

/** How bad a customer problem is. */
export const severitySchema = z.enum(['low', 'medium', 'high', 'critical']);

/** Where the team is with a customer problem. */
export const problemStatusSchema = z.enum(['open', 'planned', 'in-progress', 'solved']);

/** One point of a series (usage, or a problem's mentions): time and value. */
export const seriesPointSchema = z.object({
  t: isoDateSchema,
  v: z.number(),
});

/** A customer problem, usually aggregated from support tickets. */
export const problemSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  detail: z.string().optional(),
  /** How many customers hit it. */
  customers: z.number().int().nonnegative().optional().describe('How many customers hit it.'),
  /** How many tickets, calls or threads mention it. */
  mentions: z.number().int().nonnegative().optional().describe('How many tickets, calls or threads mention it.'),
  /** Annual recurring revenue of the affected customers. */
  arr: z.number().nonnegative().optional().describe('Annual recurring revenue of the affected customers.'),
  /** ISO 4217 code for `arr`, e.g. USD. */
  currency: z.string().regex(/^[A-Za-z]{3}$/, { message: 'expected a 3-letter ISO 4217 code such as USD' }).optional(),
  severity: severitySchema.optional(),
  status: problemStatusSchema.optional(),
  /** Change ratio over the period: 0.25 means 25 % more than the previous period. */
  trend: z.number().optional().describe('Change ratio over the period: 0.25 means 25 % more than the previous period.'),
  source: z.string().optional(),
  url: webUrlSchema.optional(),
  updatedAt: isoDateSchema.optional(),
  /** New mentions per point in time (a day or a week), oldest first: the problem's trend line. */
  series: z.array(seriesPointSchema).optional().describe('New mentions per point in time (a day or a week): the trend line.'),
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
  url: webUrlSchema.optional(),
  sentiment: sentimentSchema.optional(),
});

/** A usage metric: how much a feature is used, and whether that is changing. */
export const usageMetricSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  value: z.number(),
  unit: z.string().optional(),
  /** The period `value` covers, e.g. "7d", "30d". */
  period: z.string().optional().describe('The period `value` covers, e.g. "7d", "30d".'),
  /** Change ratio vs the previous period: -0.1 means 10 % less. */
  change: z.number().optional().describe('Change ratio vs the previous period: -0.1 means 10 % less.'),
  /** Analytics event name, matched against the map's `events`. */
  event: z.string().optional().describe("Analytics event name, matched against the map's `events`."),
  series: z.array(seriesPointSchema).optional(),
});

/** Everything known about one feature's customers. */
export const featureContextSchema = z.object({
  id: featureIdSchema,
  name: z.string().optional(),
  /** Why the feature exists. */
  summary: z.string().optional().describe('Why the feature exists.'),
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
  id: featureIdSchema,
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
/** One entry of a `/v1/features` response. */
export type FeatureListEntry = z.infer<typeof featureListEntrySchema>;
/** A `/v1/features` response. */
export type FeatureListResponse = z.infer<typeof featureListResponseSchema>;
/** The body of an error response. */
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/** A path into a parsed document, e.g. `['features', 2, 'problems', 0, 'severity']`. */
export type DocumentPath = readonly (string | number)[];

/**
 * Where a parsed document came from, for messages: a URL or file name, or a function that turns a path into a
 * precise place (`.customer-lens/context.yml:14:9`).
 */
export type DocumentLocation = string | ((path: DocumentPath) => string);

/**
 * The result of reading untrusted protocol data. `ok: false` only when nothing usable is there (not an object, wrong
 * version, no `features` array); otherwise `value` holds every valid item and `warnings` one sentence per dropped one.
 */
export type ParseOutcome<T> = { ok: true; value: T; warnings: string[] } | { ok: false; error: string };

type ItemField = 'problems' | 'quotes' | 'usage' | 'links';

const itemSchemas: Record<ItemField, z.ZodType> = {
  problems: problemSchema,
  quotes: quoteSchema,
  usage: usageMetricSchema,
  links: linkSchema,
};

const featureScalarSchemas = {
  name: featureContextSchema.shape.name,
  summary: featureContextSchema.shape.summary,
  updatedAt: featureContextSchema.shape.updatedAt,
};

function locate(where: DocumentLocation, path: DocumentPath): string {
  if (typeof where === 'function') return where(path);
  return path.length === 0 ? where : `${where} at ${formatPath(path)}`;
}

/** `['features', 2, 'problems', 0]` → `features[2].problems[0]`. */
export function formatPath(path: DocumentPath): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${displayText(value, 41)}"`;
  return typeof value === 'object' ? 'an object' : String(value);
}

/** Checks the `{"version": 1, "features": [...]}` envelope both response bodies share. */
function readEnvelope(json: unknown, where: DocumentLocation): { ok: true; features: unknown[] } | { ok: false; error: string } {
  if (!isRecord(json)) {
    return { ok: false, error: `${locate(where, [])}: expected an object like {"version": 1, "features": [...]}, got ${describeValue(json)}` };
  }
  if (json.version !== PROTOCOL_VERSION) {
    const got = json.version === undefined ? 'no version' : `version ${describeValue(json.version)}`;
    return {
      ok: false,
      error: `${locate(where, json.version === undefined ? [] : ['version'])}: expected "version": ${PROTOCOL_VERSION} (this build speaks protocol v${PROTOCOL_VERSION}), got ${got}`,
    };
  }
  if (!Array.isArray(json.features)) {
    return {
      ok: false,
      error: `${locate(where, json.features === undefined ? [] : ['features'])}: expected "features" to be an array, got ${describeValue(json.features)}`,
    };
  }
  return { ok: true, features: json.features };
}

/** The first zod issue as `field "severity": Invalid option: ...`. */
function describeIssue(error: z.ZodError): { path: DocumentPath; text: string } {
  const issue = error.issues[0];
  const path = (issue?.path ?? []).filter((key): key is string | number => typeof key !== 'symbol');
  const field = path.length > 0 ? `field "${formatPath(path)}"` : 'value';
  return { path, text: `${field}: ${issue?.message ?? 'invalid'}` };
}

/**
 * Reads a `/v1/context` body or a context file. An invalid feature, item or optional field is dropped alone with a
 * warning naming the feature, the item (id or index) and the field; unknown fields are ignored; a repeated feature id
 * keeps its first occurrence.
 */
export function parseContextResponse(json: unknown, where: DocumentLocation): ParseOutcome<ContextResponse> {
  const envelope = readEnvelope(json, where);
  if (!envelope.ok) return envelope;
  const warnings: string[] = [];
  const features: FeatureContext[] = [];
  const seen = new Set<string>();
  envelope.features.forEach((raw, index) => {
    const featurePath = ['features', index];
    if (!isRecord(raw)) {
      warnings.push(`${locate(where, featurePath)}: features[${index}] is ${describeValue(raw)}, not an object; feature dropped`);
      return;
    }
    const id = featureIdSchema.safeParse(raw.id);
    if (!id.success) {
      const reason = raw.id === undefined ? 'has no "id"' : `has an invalid "id" ${describeValue(raw.id)} (${id.error.issues[0]?.message ?? 'invalid'})`;
      warnings.push(`${locate(where, raw.id === undefined ? featurePath : [...featurePath, 'id'])}: features[${index}] ${reason}; feature dropped`);
      return;
    }
    if (seen.has(id.data)) {
      warnings.push(`${locate(where, [...featurePath, 'id'])}: feature "${id.data}" appears twice; features[${index}] ignored`);
      return;
    }
    seen.add(id.data);
    const feature: FeatureContext = { id: id.data };
    for (const [key, schema] of Object.entries(featureScalarSchemas) as [keyof typeof featureScalarSchemas, z.ZodType][]) {
      if (raw[key] === undefined) continue;
      const parsed = schema.safeParse(raw[key]);
      if (parsed.success) feature[key] = parsed.data as string;
      else warnings.push(`${locate(where, [...featurePath, key])}: feature "${id.data}" field "${key}": ${parsed.error.issues[0]?.message ?? 'invalid'}; field ignored`);
    }
    for (const key of Object.keys(itemSchemas) as ItemField[]) {
      const list = raw[key];
      if (list === undefined) continue;
      if (!Array.isArray(list)) {
        warnings.push(`${locate(where, [...featurePath, key])}: feature "${id.data}" field "${key}" must be an array, got ${describeValue(list)}; field ignored`);
        continue;
      }
      const kept: unknown[] = [];
      list.forEach((item, itemIndex) => {
        const parsed = itemSchemas[key].safeParse(item);
        if (parsed.success) {
          kept.push(parsed.data);
          return;
        }
        const issue = describeIssue(parsed.error);
        const itemId = isRecord(item) && typeof item.id === 'string' ? ` (id "${displayText(item.id, 60)}")` : '';
        warnings.push(
          `${locate(where, [...featurePath, key, itemIndex, ...issue.path])}: feature "${id.data}" ${key}[${itemIndex}]${itemId} ${issue.text}; item dropped`,
        );
      });
      (feature as Record<ItemField, unknown[]>)[key] = kept;
    }
    features.push(
      boundFeatureContext(feature, (path, message) => warnings.push(`${locate(where, [...featurePath, ...path])}: feature "${id.data}" field "${formatPath(path)}": ${message}`)),
    );
  });
  return { ok: true, value: { version: PROTOCOL_VERSION, features }, warnings };
}

/** Reads a `/v1/features` body: invalid entries are dropped alone with a warning, repeated ids keep the first. */
export function parseFeatureListResponse(json: unknown, where: DocumentLocation): ParseOutcome<FeatureListResponse> {
  const envelope = readEnvelope(json, where);
  if (!envelope.ok) return envelope;
  const warnings: string[] = [];
  const features: FeatureListEntry[] = [];
  const seen = new Set<string>();
  envelope.features.forEach((raw, index) => {
    const parsed = featureListEntrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = describeIssue(parsed.error);
      warnings.push(`${locate(where, ['features', index, ...issue.path])}: features[${index}] ${issue.text}; entry dropped`);
      return;
    }
    if (seen.has(parsed.data.id)) return;
    seen.add(parsed.data.id);
    const entry: FeatureListEntry = { id: parsed.data.id };
    if (parsed.data.name !== undefined) entry.name = displayText(parsed.data.name, TEXT_LIMITS.name);
    if (parsed.data.updatedAt !== undefined) entry.updatedAt = displayText(parsed.data.updatedAt, TEXT_LIMITS.date);
    features.push(entry);
  });
  return { ok: true, value: { version: PROTOCOL_VERSION, features }, warnings };
}

/** The `error.message` of an error body, when the body has that shape. */
export function parseErrorMessage(json: unknown): string | undefined {
  const parsed = errorResponseSchema.safeParse(json);
  return parsed.success ? displayText(parsed.data.error.message, 200) : undefined;
}
