// Prometheus text exposition (format 0.0.4) for /metrics, written by hand: a few counters, gauges and one histogram
// do not need a client library.

type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`).join(',')}}`;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class HubMetrics {
  private readonly counters = new Map<string, Map<string, { labels: Labels; value: number }>>();
  private readonly latency = new Map<string, { labels: Labels; buckets: number[]; sum: number; count: number }>();
  private readonly help: Record<string, string> = {
    customer_lens_hub_syncs_total: 'Syncs run by this replica, by source and outcome.',
    customer_lens_hub_sync_errors_total: 'Failed syncs run by this replica, by source.',
    customer_lens_hub_records_synced_total: 'Records written by this replica, by source.',
    customer_lens_hub_requests_total: 'Protocol requests answered, by route and status.',
    customer_lens_hub_recomputes_total: 'Document recomputations run by this replica.',
  };

  inc(name: string, labels: Labels = {}, by = 1): void {
    const series = this.counters.get(name) ?? new Map();
    const key = labelText(labels);
    const entry = series.get(key) ?? { labels, value: 0 };
    entry.value += by;
    series.set(key, entry);
    this.counters.set(name, series);
  }

  observeRequest(route: string, status: number, seconds: number): void {
    this.inc('customer_lens_hub_requests_total', { route, status: String(status) });
    const labels = { route };
    const key = labelText(labels);
    const entry = this.latency.get(key) ?? { labels, buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 };
    LATENCY_BUCKETS.forEach((le, i) => {
      if (seconds <= le) entry.buckets[i]!++;
    });
    entry.sum += seconds;
    entry.count++;
    this.latency.set(key, entry);
  }

  /** The exposition text; `gauges` are read fresh from the database by the caller. */
  render(gauges: Array<{ name: string; help: string; labels?: Labels; value: number }>): string {
    const lines: string[] = [];
    for (const [name, series] of this.counters) {
      lines.push(`# HELP ${name} ${this.help[name] ?? name}`, `# TYPE ${name} counter`);
      for (const { labels, value } of series.values()) lines.push(`${name}${labelText(labels)} ${value}`);
    }
    const h = 'customer_lens_hub_request_duration_seconds';
    lines.push(`# HELP ${h} Time to answer protocol requests.`, `# TYPE ${h} histogram`);
    for (const { labels, buckets, sum, count } of this.latency.values()) {
      LATENCY_BUCKETS.forEach((le, i) => lines.push(`${h}_bucket${labelText({ ...labels, le: String(le) })} ${buckets[i]}`));
      lines.push(`${h}_bucket${labelText({ ...labels, le: '+Inf' })} ${count}`, `${h}_sum${labelText(labels)} ${sum}`, `${h}_count${labelText(labels)} ${count}`);
    }
    // Every sample of a metric goes under its one HELP/TYPE header, as the exposition format requires.
    const byName = new Map<string, typeof gauges>();
    for (const gauge of gauges) byName.set(gauge.name, [...(byName.get(gauge.name) ?? []), gauge]);
    for (const [name, samples] of byName) {
      lines.push(`# HELP ${name} ${samples[0]!.help}`, `# TYPE ${name} gauge`);
      for (const gauge of samples) lines.push(`${name}${labelText(gauge.labels ?? {})} ${gauge.value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
