// `csv-usage`: daily counts of analytics events as CSV, one row per day and event. Columns: date,event,value.
import type { ConnectorDefinition } from './connector';
import { csvOptionsSchema, csvStream, RowError, type CsvOptions } from './csvExport';

export const csvUsageConnector: ConnectorDefinition<CsvOptions> = {
  kind: 'csv-usage',
  description: 'Daily analytics event counts from a CSV export: date,event,value',
  options: csvOptionsSchema,
  defaultBudget: { requests: 1_000_000, perSeconds: 1 },
  defaultEverySeconds: 60,
  create: (options, context) => [
    csvStream(
      {
        name: 'usage',
        columns: ['date', 'event', 'value'],
        map(row) {
          const date = row.required('date');
          if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) throw new RowError('date', `"date" is "${date.slice(0, 40)}", not a day such as 2026-11-02`);
          const event = row.required('event');
          const valueText = row.required('value');
          const value = Number(valueText);
          if (!Number.isFinite(value)) throw new RowError('value', `"value" is "${valueText.slice(0, 40)}", not a number`);
          return { kind: 'usage', id: `${date}:${event}`, date, event, value };
        },
      },
      options,
      context,
    ),
  ],
};
