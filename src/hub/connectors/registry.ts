// Every connector the hub knows, by `kind`. A new connector is a file in this folder and a line here.
import type { ConnectorDefinition } from './connector';
import { csvAccountsConnector } from './csvAccounts';
import { csvTicketsConnector } from './csvTickets';
import { csvUsageConnector } from './csvUsage';
import { githubIssuesConnector } from './githubIssues';
import { intercomConnector } from './intercom';
import { linearConnector } from './linear';
import { zendeskConnector } from './zendesk';
import { hubspotConnector } from './hubspot';
import { posthogConnector } from './posthog';
import { stripeConnector } from './stripe';

export const connectors: readonly ConnectorDefinition<never>[] = [
  csvTicketsConnector,
  csvAccountsConnector,
  csvUsageConnector,
  githubIssuesConnector,
  zendeskConnector,
  intercomConnector,
  linearConnector,
  posthogConnector,
  stripeConnector,
  hubspotConnector,
] as unknown as ConnectorDefinition<never>[];

export function connectorFor(kind: string): ConnectorDefinition<unknown> | undefined {
  return connectors.find((c) => c.kind === kind) as ConnectorDefinition<unknown> | undefined;
}
