// `csv-accounts`: customer accounts from a CRM or billing export as CSV. Columns: account,domain,arr,currency,segment
// (arr a number in major units, currency ISO 4217).
import type { ConnectorDefinition } from './connector';
import { csvOptionsSchema, csvStream, normaliseDomain, RowError, type CsvOptions } from './csvExport';

export const csvAccountsConnector: ConnectorDefinition<CsvOptions> = {
  kind: 'csv-accounts',
  description: 'Customer accounts and their ARR from a CSV export: account,domain,arr,currency,segment',
  options: csvOptionsSchema,
  defaultBudget: { requests: 1_000_000, perSeconds: 1 },
  defaultEverySeconds: 60,
  create: (options, context) => [
    csvStream(
      {
        name: 'accounts',
        columns: ['account', 'domain', 'arr', 'currency', 'segment'],
        map(row) {
          const account = row.required('account');
          const arrText = row.optional('arr');
          let arr: number | undefined;
          if (arrText !== undefined) {
            arr = Number(arrText.replace(/[_\s]/g, ''));
            if (!Number.isFinite(arr) || arr < 0) throw new RowError('arr', `"arr" is "${arrText.slice(0, 40)}", not a non-negative number in major units (e.g. 12000.50)`);
          }
          const currencyText = row.optional('currency');
          if (currencyText !== undefined && !/^[A-Za-z]{3}$/.test(currencyText)) {
            throw new RowError('currency', `"currency" is "${currencyText.slice(0, 40)}", not a 3-letter ISO 4217 code such as USD`);
          }
          if (arr !== undefined && currencyText === undefined) throw new RowError('currency', `"currency" is empty but "arr" is set; say which currency the ARR is in (e.g. USD)`);
          const domain = row.optional('domain');
          const segment = row.optional('segment');
          return {
            kind: 'account',
            id: account,
            name: account,
            ...(domain !== undefined ? { domain: normaliseDomain(domain) } : {}),
            ...(arr !== undefined ? { arr, currency: currencyText!.toUpperCase() } : {}),
            ...(segment !== undefined ? { segment } : {}),
          };
        },
      },
      options,
      context,
    ),
  ],
};
