// Recorded Zendesk and Linear answers for the demo's hub, replayed on 127.0.0.1.
//
// test/fixtures/storefront-hub/recorded/ holds the answers of a first full sync, as the vendors document them:
// zendesk/organizations.json and zendesk/tickets.json are the bodies of the Incremental Organization Export and the
// cursor-based Incremental Ticket Export; linear/*.json are the GraphQL answers to @linear/sdk's issueLabels,
// customerTiers, customers, issues and customerNeeds queries. The replay loads those items into the local fakes the
// connector tests use (test/unit/support/fakeZendesk.ts, fakeLinear.ts, built from the vendors' reference docs), so
// the hub's later, incremental syncs (a Zendesk cursor, a Linear `updatedAt` filter) get the answers the vendor
// would give, not a 404.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { startFakeLinear, type FakeLinear, type FakeLinearCustomer, type FakeLinearIssue, type FakeLinearNeed } from '../unit/support/fakeLinear';
import { startFakeZendesk, type FakeOrganization, type FakeTicket, type FakeZendesk } from '../unit/support/fakeZendesk';
import { repoRoot } from './paths';

/** The sample's hub folder: its config, the CSV exports and the recorded vendor answers. */
export const storefrontHubDir = path.join(repoRoot, 'test', 'fixtures', 'storefront-hub');
const recordedDir = path.join(storefrontHubDir, 'recorded');

/** Credentials the replay accepts, handed to the hub through the environment like real ones. */
const ZENDESK_EMAIL = 'demo@fernhill.example';
const ZENDESK_TOKEN = 'recorded-zendesk-token';
const LINEAR_API_KEY = 'lin_api_recorded';

export interface VendorReplay {
  zendesk: FakeZendesk;
  linear: FakeLinear;
  /** The environment the hub needs to sync from the replay (the sources' `{ env: NAME }` credentials). */
  env: Record<string, string>;
  close(): Promise<void>;
}

const zendeskTicketExport = z.object({
  tickets: z.array(
    z.object({
      id: z.number(),
      subject: z.string(),
      description: z.string(),
      status: z.enum(['new', 'open', 'pending', 'hold', 'solved', 'closed', 'deleted']),
      priority: z.enum(['low', 'normal', 'high', 'urgent']).nullable(),
      type: z.enum(['problem', 'incident', 'question', 'task']).nullable(),
      problem_id: z.number().nullable(),
      tags: z.array(z.string()),
      organization_id: z.number().nullable(),
      created_at: z.string(),
      updated_at: z.string(),
    }),
  ),
  end_of_stream: z.literal(true),
});

const zendeskOrganizationExport = z.object({
  organizations: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      domain_names: z.array(z.string()),
      external_id: z.string().nullable(),
      organization_fields: z.record(z.string(), z.unknown()),
      created_at: z.string(),
      updated_at: z.string(),
      deleted_at: z.string().nullable(),
    }),
  ),
  end_of_stream: z.literal(true),
});

/** A recorded GraphQL answer with one connection under `data[name]`, read whole (no next page). */
function connection<T extends z.ZodType>(name: string, node: T) {
  return z.object({ data: z.object({ [name]: z.object({ nodes: z.array(node), pageInfo: z.object({ hasNextPage: z.literal(false) }) }) }) }).transform((answer) => (answer.data[name] as { nodes: z.infer<T>[] }).nodes);
}
const ref = z.object({ id: z.string() }).nullable();

function readRecorded<T extends z.ZodType>(file: string, schema: T): z.infer<T> {
  const full = path.join(recordedDir, file);
  const parsed = schema.safeParse(JSON.parse(fs.readFileSync(full, 'utf8')));
  if (!parsed.success) throw new Error(`${path.relative(repoRoot, full)}: not a recorded answer of the documented shape: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function recordedZendesk(): { tickets: FakeTicket[]; organizations: FakeOrganization[] } {
  const { tickets } = readRecorded('zendesk/tickets.json', zendeskTicketExport);
  const { organizations } = readRecorded('zendesk/organizations.json', zendeskOrganizationExport);
  return { tickets, organizations };
}

function recordedLinear() {
  const labels = readRecorded('linear/issueLabels.json', connection('issueLabels', z.object({ id: z.string(), name: z.string() })));
  const tiers = readRecorded('linear/customerTiers.json', connection('customerTiers', z.object({ id: z.string(), name: z.string(), displayName: z.string() })));
  const nameOfLabel = new Map(labels.map((l) => [l.id, l.name]));
  const issues: FakeLinearIssue[] = readRecorded(
    'linear/issues.json',
    connection(
      'issues',
      z.object({
        id: z.string(),
        identifier: z.string(),
        title: z.string(),
        description: z.string().nullable(),
        priority: z.number(),
        labelIds: z.array(z.string()),
        customerTicketCount: z.number(),
        url: z.string(),
        createdAt: z.string(),
        updatedAt: z.string(),
        startedAt: z.string().nullable(),
        completedAt: z.string().nullable(),
        canceledAt: z.string().nullable(),
        archivedAt: z.string().nullable(),
      }),
    ),
  ).map(({ labelIds, ...issue }) => ({ ...issue, labels: labelIds.map((id) => nameOfLabel.get(id) ?? id) }));
  const customers: FakeLinearCustomer[] = readRecorded(
    'linear/customers.json',
    connection('customers', z.object({ id: z.string(), name: z.string(), domains: z.array(z.string()), externalIds: z.array(z.string()), revenue: z.number().nullable(), tier: ref, updatedAt: z.string(), archivedAt: z.string().nullable() })),
  ).map(({ tier, ...customer }) => ({ ...customer, tier: tiers.find((t) => t.id === tier?.id)?.name ?? null }));
  const needs: FakeLinearNeed[] = readRecorded(
    'linear/customerNeeds.json',
    connection('customerNeeds', z.object({ id: z.string(), body: z.string().nullable(), customer: ref, issue: ref, project: ref, createdAt: z.string(), updatedAt: z.string(), archivedAt: z.string().nullable() })),
  ).map(({ customer, issue, project, ...need }) => ({ ...need, customerId: customer?.id ?? null, issueId: issue?.id ?? null, projectId: project?.id ?? null }));
  return { labels, tiers, issues, customers, needs };
}

/** Starts the Zendesk and Linear replays on free ports of 127.0.0.1. */
export async function startVendorReplay(): Promise<VendorReplay> {
  const zendesk = await startFakeZendesk({ email: ZENDESK_EMAIL, token: ZENDESK_TOKEN, ...recordedZendesk() });
  const linear = await startFakeLinear({ apiKey: LINEAR_API_KEY, ...recordedLinear() }).catch(async (error: unknown) => {
    await zendesk.close();
    throw error;
  });
  return {
    zendesk,
    linear,
    env: { CUSTOMER_LENS_DEMO_ZENDESK_TOKEN: ZENDESK_TOKEN, CUSTOMER_LENS_DEMO_LINEAR_KEY: LINEAR_API_KEY },
    close: async () => {
      await Promise.all([zendesk.close(), linear.close()]);
    },
  };
}

/**
 * Writes the demo's hub config into `dir`: the sample's config (test/fixtures/storefront-hub/customer-lens-hub.yml,
 * its paths made absolute) plus a Zendesk and a Linear source whose `baseUrl` is the replay. Returns its path.
 */
export function writeDemoHubConfig(replay: VendorReplay, dir: string): string {
  const sample = path.join(storefrontHubDir, 'customer-lens-hub.yml');
  const text = fs.readFileSync(sample, 'utf8');
  const absolute = (relative: string) => JSON.stringify(path.resolve(storefrontHubDir, relative));
  const rewritten = text
    .replace(/^maps: \[([^\]]+)\]/m, (_, maps: string) => `maps: [${maps.split(',').map((m) => absolute(m.trim())).join(', ')}]`)
    .replace(/\bfile: ([^\s,}]+)/g, (_, file: string) => `file: ${absolute(file)}`)
    .replace(
      /^features:/m,
      `  # Recorded answers of Zendesk and Linear (test/fixtures/storefront-hub/recorded), replayed on 127.0.0.1.
  - { id: zendesk, name: Zendesk, kind: zendesk, baseUrl: "${replay.zendesk.url}", email: ${ZENDESK_EMAIL}, token: { env: CUSTOMER_LENS_DEMO_ZENDESK_TOKEN }, arrField: annual_revenue, segmentField: plan }
  - { id: linear, name: Linear, kind: linear, baseUrl: "${replay.linear.url}/graphql", token: { env: CUSTOMER_LENS_DEMO_LINEAR_KEY }, labels: [customer] }
features:`,
    );
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'customer-lens-hub.yml');
  fs.writeFileSync(file, `# Written by npm run demo from ${path.relative(repoRoot, sample)}; edits are lost on the next run.\n${rewritten}`);
  return file;
}
