// The hub's figure rules on a small fixture whose every answer was worked out by hand (the comments show the sums).
import * as assert from 'node:assert/strict';
import { AccountDirectory } from '../../src/hub/accounts';
import { changeRatio, computeFeatures, normaliseTitle, type Sourced } from '../../src/hub/computation';
import type { HubFeature } from '../../src/hub/hubConfig';
import type { AccountRecord, TicketRecord, UsageRecord } from '../../src/hub/records';

const NOW = Date.parse('2026-11-28T23:59:59.999Z');
const features: HubFeature[] = [
  { id: 'checkout', name: 'Checkout', tags: ['checkout', 'coupon'], events: ['checkout_completed'], links: [] },
  { id: 'search', tags: ['search'], events: [], links: [] },
  { id: 'empty', tags: ['nothing-has-this'], events: [], links: [] },
];
const account = (id: string, extra: Partial<AccountRecord>): { sourceId: string; record: AccountRecord } => ({ sourceId: 'crm', record: { kind: 'account', id, name: id, ...extra } });
const accounts = [
  account('Acme', { domain: 'acme.com', arr: 100_000, currency: 'USD', segment: 'Enterprise' }),
  account('Beta', { domain: 'beta.io', arr: 20_000, currency: 'USD', segment: 'SMB' }),
  account('Gamma', { domain: 'gamma.de', arr: 50_000, currency: 'EUR', segment: 'SMB' }),
  account('Delta', {}),
];
const ticket = (id: string, fields: Omit<TicketRecord, 'kind' | 'id'>): Sourced<TicketRecord> => ({ sourceId: 'desk', sourceName: 'Support desk', record: { kind: 'ticket', id, ...fields } });
const tickets = [
  ticket('t1', { title: 'Coupon rejected', tags: ['coupon'], account: { key: 'Acme' }, priority: 'normal', status: 'solved', createdAt: '2026-11-20T09:00:00Z', updatedAt: '2026-11-21T09:00:00Z', url: 'https://desk.example/1' }),
  ticket('t2', { title: 'coupon   REJECTED!', tags: ['checkout'], account: { key: 'beta' }, priority: 'high', status: 'open', createdAt: '2026-11-25T09:00:00Z', updatedAt: '2026-11-26T09:00:00Z', url: 'https://desk.example/2' }),
  ticket('t3', { title: 'Coupon rejected', tags: ['coupon', 'search'], account: { key: 'Acme' }, priority: 'low', status: 'closed', createdAt: '2026-10-10T09:00:00Z', updatedAt: '2026-10-11T09:00:00Z' }),
  ticket('t4', { title: 'Coupon rejected', tags: ['coupon'], account: { key: 'gamma.de' }, priority: 'urgent', status: 'solved', createdAt: '2026-10-15T09:00:00Z', updatedAt: '2026-10-16T09:00:00Z', text: 'It fails for EUR carts' }),
  ticket('t5', { title: 'Card declined', tags: ['checkout'], problem: 'declines', account: { key: 'Unknown Co' }, priority: 'normal', status: 'in-progress', createdAt: '2026-11-27T09:00:00Z', updatedAt: '2026-11-28T10:00:00Z', text: 'Card declined twice' }),
  ticket('t6', { title: 'Payment refused', tags: ['checkout'], problem: 'declines', account: { key: 'Delta' }, status: 'planned', createdAt: '2026-11-01T00:00:00Z', updatedAt: '2026-11-02T09:00:00Z' }),
];
const usage = (date: string, value: number): Sourced<UsageRecord> => ({ sourceId: 'analytics', sourceName: 'Analytics', record: { kind: 'usage', id: `${date}:checkout_completed`, date, event: 'checkout_completed', value } });

function compute() {
  const directory = new AccountDirectory(accounts, { sourceOrder: ['desk', 'crm', 'analytics'], externalIds: [] });
  const docs = computeFeatures({
    features,
    tickets,
    problems: [],
    quotes: [],
    usage: [usage('2026-11-28', 10), usage('2026-11-01', 5), usage('2026-10-31', 7), usage('2026-10-04', 3), usage('2026-10-03', 100)],
    accounts: directory,
    now: NOW,
    periodDays: 28,
    period: '28d',
    quotesPerFeature: 10,
    problemsPerFeature: 50,
  });
  return { docs, directory };
}

describe('hub computation (hand-computed fixture)', () => {
  it('groups a feature\'s tickets by problem value, else by normalised title, and computes every figure', () => {
    const checkout = compute().docs.find((d) => d.id === 'checkout')!;
    assert.deepEqual(checkout.problems, [
      {
        // t1..t4: "Coupon rejected" ×3 and "coupon   REJECTED!" normalise to "coupon rejected".
        id: 'coupon rejected',
        title: 'Coupon rejected', // the title most tickets carry
        detail: 'Also 50,000 EUR from 1 customer.', // Gamma pays in EUR: never added to dollars
        customers: 3, // Acme (t1, t3), Beta (t2, key matched case-insensitively), Gamma (t4, by domain)
        mentions: 4,
        arr: 120_000, // USD: Acme 100,000 + Beta 20,000; Acme counted once
        currency: 'USD',
        severity: 'critical', // highest priority: urgent (t4)
        status: 'open', // t2 is open
        trend: 0, // this period (Nov 1–28): t1, t2 = 2; the one before (Oct 4–31): t3, t4 = 2; 2 ÷ 2 − 1
        source: 'Support desk',
        url: 'https://desk.example/2', // the newest ticket with a URL
        updatedAt: '2026-11-26T09:00:00Z',
      },
      {
        id: 'declines', // the `problem` value groups t5 and t6 despite different titles
        title: 'Card declined', // one each: the newest ticket's title
        customers: 2, // "Unknown Co" (no account record, still a customer) and Delta
        mentions: 2,
        severity: 'medium', // normal; t6 has no priority
        status: 'in-progress', // no open ticket; in-progress over planned
        // no trend: nothing in the previous period to compare with; no arr: neither account has revenue
        source: 'Support desk',
        updatedAt: '2026-11-28T10:00:00Z',
      },
    ]);
  });

  it('attributes a ticket to every feature whose tags it carries', () => {
    const search = compute().docs.find((d) => d.id === 'search')!;
    assert.deepEqual(search.problems, [
      {
        id: 'coupon rejected',
        title: 'Coupon rejected',
        customers: 1,
        mentions: 1,
        arr: 100_000,
        currency: 'USD',
        severity: 'low',
        status: 'solved', // closed → solved
        trend: -1, // this period 0, the one before 1: 0 ÷ 1 − 1
        source: 'Support desk',
        updatedAt: '2026-10-11T09:00:00Z',
      },
    ]);
  });

  it('quotes ticket texts newest first with the account as company and its segment', () => {
    const checkout = compute().docs.find((d) => d.id === 'checkout')!;
    assert.deepEqual(checkout.quotes, [
      { id: 't5', text: 'Card declined twice', date: '2026-11-27T09:00:00Z', source: 'Support desk' },
      { id: 't4', text: 'It fails for EUR carts', company: 'Gamma', segment: 'SMB', date: '2026-10-15T09:00:00Z', source: 'Support desk' },
    ]);
  });

  it('sums usage over the period, compares it with the period before, and gives a daily series', () => {
    const [metric] = compute().docs.find((d) => d.id === 'checkout')!.usage!;
    assert.equal(metric!.value, 15); // Nov 28: 10 + Nov 1: 5
    assert.equal(metric!.change, 0.5); // before (Oct 4–31): 7 + 3 = 10; 15 ÷ 10 − 1; Oct 3 is outside both
    assert.equal(metric!.series!.length, 28);
    assert.deepEqual(metric!.series![0], { t: '2026-11-01', v: 5 });
    assert.deepEqual(metric!.series![27], { t: '2026-11-28', v: 10 });
    assert.equal(metric!.event, 'checkout_completed');
    assert.equal(metric!.period, '28d');
  });

  it('keeps a feature with no data as its name alone, and reports references no account matches', () => {
    const { docs, directory } = compute();
    assert.deepEqual(docs.find((d) => d.id === 'empty'), { id: 'empty' });
    assert.deepEqual(directory.report().references, [{ sourceId: 'desk', key: 'Unknown Co', count: 1 }]);
  });

  it('is deterministic: the same records give byte-identical documents', () => {
    assert.equal(JSON.stringify(compute().docs), JSON.stringify(compute().docs));
  });

  it('joins accounts across sources by domain, then external ids, with one source of truth for revenue', () => {
    const directory = new AccountDirectory(
      [
        { sourceId: 'zendesk', record: { kind: 'account', id: 'org-1', name: 'Acme Inc', domain: 'https://www.ACME.com/' } },
        { sourceId: 'hubspot', record: { kind: 'account', id: 'c-9', name: 'ACME', domain: 'acme.com', arr: 90_000, currency: 'USD' } },
        { sourceId: 'stripe', record: { kind: 'account', id: 'cus_1', name: 'acme billing', externalIds: { crm: 'c-9' }, arr: 96_000, currency: 'USD' } },
        { sourceId: 'hubspot', record: { kind: 'account', id: 'c-10', name: 'Lonely', domain: 'lonely.io', externalIds: { crm: 'c-10' } } },
      ],
      { sourceOrder: ['zendesk', 'hubspot', 'stripe'], externalIds: ['crm'], revenueSource: 'stripe' },
    );
    // org-1 and c-9 share a domain; cus_1 names c-9's crm id... but c-9 carries no crm id, so cus_1 stays apart.
    const acme = directory.lookup({ domain: 'acme.com' })!;
    assert.equal(acme.name, 'Acme Inc'); // the first source in config order names it
    assert.deepEqual(acme.sources, ['zendesk', 'hubspot']);
    assert.equal(acme.arr, undefined); // the revenue source (stripe) has no record in this account
    const byKey = directory.lookup({ key: 'ACME BILLING' })!;
    assert.equal(byKey.arr, 96_000);
    assert.equal(byKey.revenueSource, 'stripe');

    const joined = new AccountDirectory(
      [
        { sourceId: 'hubspot', record: { kind: 'account', id: 'c-9', name: 'ACME', domain: 'acme.com', externalIds: { crm: 'c-9' }, arr: 90_000, currency: 'USD' } },
        { sourceId: 'stripe', record: { kind: 'account', id: 'cus_1', name: 'acme billing', externalIds: { crm: 'c-9' }, arr: 96_000, currency: 'USD' } },
      ],
      { sourceOrder: ['hubspot', 'stripe'], externalIds: ['crm'] },
    );
    const one = joined.lookup({ externalIds: { crm: 'c-9' } })!;
    assert.deepEqual(one.sources, ['hubspot', 'stripe']); // joined by the external id
    assert.equal(one.arr, 90_000); // no revenue source configured: the first source in config order that has ARR
    assert.equal(joined.accounts.length, 1);
  });

  it('normalises titles and computes change ratios by the documented rules', () => {
    assert.equal(normaliseTitle('  Coupon — REJECTED!! '), 'coupon rejected');
    assert.equal(changeRatio(3, 2), 0.5);
    assert.equal(changeRatio(0, 4), -1);
    assert.equal(changeRatio(5, 0), undefined);
  });
});
