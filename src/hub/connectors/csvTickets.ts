// `csv-tickets`: a support desk's ticket export as CSV.
// Columns: id,title,status,priority,tags,account,created_at,updated_at,url,text[,problem]; tags separated by ";".
import { ticketPrioritySchema, ticketStatusSchema } from '../records';
import type { ConnectorDefinition } from './connector';
import { csvOptionsSchema, csvStream, isoDate, oneOf, RowError, type CsvOptions } from './csvExport';

const COLUMNS = ['id', 'title', 'status', 'priority', 'tags', 'account', 'created_at', 'updated_at', 'url', 'text'] as const;

export const csvTicketsConnector: ConnectorDefinition<CsvOptions> = {
  kind: 'csv-tickets',
  description: 'Support tickets from a CSV export: id,title,status,priority,tags,account,created_at,updated_at,url,text[,problem]',
  options: csvOptionsSchema,
  defaultBudget: { requests: 1_000_000, perSeconds: 1 },
  defaultEverySeconds: 60,
  create: (options, context) => [
    csvStream(
      {
        name: 'tickets',
        columns: COLUMNS,
        map(row) {
          const url = row.optional('url');
          if (url !== undefined && !/^https?:\/\/[^\s]+$/i.test(url)) throw new RowError('url', `"url" is not an http(s) URL`);
          const account = row.optional('account');
          const priority = row.optional('priority');
          const problem = row.optional('problem');
          const text = row.text('text');
          return {
            kind: 'ticket',
            id: row.required('id'),
            title: row.required('title'),
            status: oneOf(row, 'status', ticketStatusSchema.options),
            ...(priority !== undefined ? { priority: oneOf(row, 'priority', ticketPrioritySchema.options, priority) } : {}),
            tags: (row.optional('tags') ?? '')
              .split(';')
              .map((tag) => tag.trim().toLowerCase())
              .filter((tag) => tag !== ''),
            ...(account !== undefined ? { account: { key: account } } : {}),
            createdAt: isoDate(row, 'created_at'),
            updatedAt: isoDate(row, 'updated_at'),
            ...(url !== undefined ? { url } : {}),
            ...(text !== undefined ? { text } : {}),
            ...(problem !== undefined ? { problem } : {}),
          };
        },
      },
      options,
      context,
    ),
  ],
};
