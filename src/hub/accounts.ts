// One customer may appear in several tools: a support organization, a billing customer, a CRM company. The hub joins
// their account records into one account by domain first, then by a configured external id (`accounts.externalIds`),
// and takes ARR from one source of truth per account (`accounts.revenue`, else the first source in config order that
// gives ARR for it). References from tickets are resolved the same way, falling back to the account's id or name.
import { normaliseDomain } from './connectors/csvExport';
import type { AccountRecord, AccountRef } from './records';

/** An account record and the source it came from. */
export interface SourcedAccount {
  sourceId: string;
  record: AccountRecord;
}

/** A customer account after joining every source's records for it. */
export interface JoinedAccount {
  /** Stable key: the first record's source and id. */
  key: string;
  name: string;
  domain?: string;
  segment?: string;
  arr?: number;
  currency?: string;
  /** The source the ARR came from. */
  revenueSource?: string;
  sources: string[];
}

export interface AccountJoinOptions {
  /** Source ids in config order: earlier sources win names, segments and (without `revenueSource`) revenue. */
  sourceOrder: readonly string[];
  externalIds: readonly string[];
  revenueSource?: string;
}

/** References that matched no account, per source, for `hub status`. */
export interface UnmatchedReport {
  references: Array<{ sourceId: string; key: string; count: number }>;
  /** Joined accounts seen in only one of several account sources (so revenue or tickets may be missing for them). */
  singleSource: Array<{ sourceId: string; name: string }>;
}

export class AccountDirectory {
  readonly accounts: JoinedAccount[] = [];
  private readonly byDomain = new Map<string, JoinedAccount>();
  private readonly byExternal = new Map<string, JoinedAccount>();
  private readonly byKey = new Map<string, JoinedAccount>();
  private readonly unmatched = new Map<string, { sourceId: string; key: string; count: number }>();
  private readonly accountSources: string[];

  constructor(records: readonly SourcedAccount[], private readonly options: AccountJoinOptions) {
    const rank = (sourceId: string) => {
      const i = options.sourceOrder.indexOf(sourceId);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    const sorted = [...records].sort((a, b) => rank(a.sourceId) - rank(b.sourceId) || a.record.id.localeCompare(b.record.id));
    this.accountSources = [...new Set(sorted.map((r) => r.sourceId))];

    // Union-find over records: same domain, or same value of a configured external id.
    const parent = sorted.map((_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
    const union = (a: number, b: number) => {
      const ra = find(a);
      const rb = find(b);
      if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    };
    const firstWith = new Map<string, number>();
    sorted.forEach(({ record }, i) => {
      const keys: string[] = [];
      if (record.domain) keys.push(`d:${normaliseDomain(record.domain)}`);
      for (const name of options.externalIds) {
        const value = record.externalIds?.[name];
        if (value) keys.push(`x:${name}:${value}`);
      }
      for (const key of keys) {
        const seen = firstWith.get(key);
        if (seen === undefined) firstWith.set(key, i);
        else union(seen, i);
      }
    });
    const groups = new Map<number, SourcedAccount[]>();
    sorted.forEach((entry, i) => {
      const root = find(i);
      const members = groups.get(root);
      if (members) members.push(entry);
      else groups.set(root, [entry]);
    });
    for (const members of groups.values()) {
      const first = members[0]!;
      const revenue =
        (options.revenueSource !== undefined
          ? members.find((m) => m.sourceId === options.revenueSource && m.record.arr !== undefined)
          : members.find((m) => m.record.arr !== undefined)) ?? undefined;
      const domain = members.find((m) => m.record.domain)?.record.domain;
      const segment = members.find((m) => m.record.segment)?.record.segment;
      const account: JoinedAccount = {
        key: `${first.sourceId}:${first.record.id}`,
        name: first.record.name,
        ...(domain ? { domain: normaliseDomain(domain) } : {}),
        ...(segment ? { segment } : {}),
        ...(revenue?.record.arr !== undefined && revenue.record.currency ? { arr: revenue.record.arr, currency: revenue.record.currency, revenueSource: revenue.sourceId } : {}),
        sources: [...new Set(members.map((m) => m.sourceId))],
      };
      this.accounts.push(account);
      for (const { record } of members) {
        if (record.domain) this.byDomain.set(normaliseDomain(record.domain), account);
        for (const name of options.externalIds) {
          const value = record.externalIds?.[name];
          if (value) this.byExternal.set(`${name}:${value}`, account);
        }
        for (const key of [record.id, record.name]) {
          const k = key.trim().toLowerCase();
          if (!this.byKey.has(k)) this.byKey.set(k, account);
        }
      }
    }
  }

  /** The account a reference means, without counting a miss. */
  lookup(ref: AccountRef): JoinedAccount | undefined {
    return (
      (ref.domain ? this.byDomain.get(normaliseDomain(ref.domain)) : undefined) ??
      this.options.externalIds.map((name) => (ref.externalIds?.[name] ? this.byExternal.get(`${name}:${ref.externalIds[name]}`) : undefined)).find((a) => a) ??
      (ref.key ? (this.byKey.get(ref.key.trim().toLowerCase()) ?? this.byDomain.get(normaliseDomain(ref.key))) : undefined)
    );
  }

  /** The account a reference means, or undefined (and the reference is counted as unmatched for `sourceId`). */
  resolve(ref: AccountRef | undefined, sourceId: string): JoinedAccount | undefined {
    if (!ref) return undefined;
    const found = this.lookup(ref);
    if (!found) {
      const key = ref.key ?? ref.domain ?? Object.values(ref.externalIds ?? {})[0] ?? '?';
      const id = `${sourceId}\u0000${key}`;
      const entry = this.unmatched.get(id) ?? { sourceId, key, count: 0 };
      entry.count++;
      this.unmatched.set(id, entry);
    }
    return found;
  }

  report(): UnmatchedReport {
    return {
      references: [...this.unmatched.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
      singleSource:
        this.accountSources.length > 1
          ? this.accounts.filter((a) => a.sources.length === 1).map((a) => ({ sourceId: a.sources[0]!, name: a.name }))
          : [],
    };
  }
}
