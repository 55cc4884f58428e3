// What the three CSV kinds share: reading an export (header row, RFC 4180 quoting, UTF-8 with or without BOM, extra
// columns ignored) row by row with the place of every field, so a bad row is skipped alone with `file:line:col`,
// and a cursor per page (the file's hash and the last line stored) so a killed import resumes where it stopped.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { z } from 'zod';
import type { HubRecord } from '../records';
import type { ConnectorContext, Cursor, Stream, StreamPage } from './connector';

/** The options every CSV kind takes: the export to read (relative to the config), or none when fed by `hub import`. */
export const csvOptionsSchema = z.strictObject({
  file: z.string().min(1).optional().meta({ description: 'The CSV export, relative to the config file. Omit it to load files with `hub import` only.' }),
});
export type CsvOptions = z.infer<typeof csvOptionsSchema>;

/** One field of a row: its value and where it starts, for messages. */
export interface CsvField {
  value: string;
  line: number;
  column: number;
}

/** A problem with one field: the row is skipped and the message says which column and why. */
export class RowError extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
  }
}

/** Reads named fields of one row; `required` columns must be non-empty. */
export class CsvRow {
  constructor(
    private readonly fields: Map<string, CsvField>,
    readonly line: number,
  ) {}

  /** The trimmed value, or undefined when empty. */
  optional(column: string): string | undefined {
    const value = this.fields.get(column)?.value.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  required(column: string): string {
    const value = this.optional(column);
    if (value === undefined) throw new RowError(column, `"${column}" is empty; every row needs one`);
    return value;
  }

  /** The value exactly as written (texts keep their line breaks and spaces). */
  text(column: string): string | undefined {
    const value = this.fields.get(column)?.value;
    return value === undefined || value.trim() === '' ? undefined : value;
  }

  position(column: string): { line: number; column: number } {
    const field = this.fields.get(column);
    return field ? { line: field.line, column: field.column } : { line: this.line, column: 1 };
  }
}

/** Maps one row to a record, throwing RowError for a bad field. */
export type RowMapper = (row: CsvRow) => HubRecord;

/** Finds where each field of a raw record starts (line and column), honouring quotes. */
function fieldStarts(raw: string, startLine: number): Array<{ line: number; column: number }> {
  const starts = [{ line: startLine, column: 1 }];
  let line = startLine;
  let column = 1;
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '"') quoted = !quoted;
    if (ch === '\n') {
      line++;
      column = 1;
      continue;
    }
    column++;
    if (ch === ',' && !quoted) starts.push({ line, column });
  }
  return starts;
}

/**
 * CRLF and lone CR become LF before parsing. csv-parse counts a CRLF inside a quoted field as two lines and, after a
 * badly quoted CRLF row, loses the row that follows; with LF alone its line numbers are exact and a bad row stays
 * alone. (A line break inside a quoted text then reads as LF, which is how the hub stores text anyway.)
 */
function normaliseLineEnds(): Transform {
  let pendingCr = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      let text = chunk.toString('latin1');
      if (pendingCr) text = `\r${text}`;
      pendingCr = text.endsWith('\r');
      if (pendingCr) text = text.slice(0, -1);
      callback(null, Buffer.from(text.replace(/\r\n?/g, '\n'), 'latin1'));
    },
    flush(callback) {
      callback(null, pendingCr ? Buffer.from('\n') : undefined);
    },
  });
}

async function fileHash(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface CsvStreamSpec {
  /** Stream name, e.g. `tickets`. */
  name: string;
  /** Columns the header must have. */
  columns: readonly string[];
  map: RowMapper;
}

const PAGE_ROWS = 1000;

/** A stream over a CSV export. Its cursor: `{ sha256, line }` while reading, `{ sha256, done: true }` at the end. */
export function csvStream(spec: CsvStreamSpec, options: CsvOptions, context: ConnectorContext): Stream {
  return {
    name: spec.name,
    async *read(cursor: Cursor | undefined): AsyncIterable<StreamPage> {
      if (options.file === undefined) return;
      const file = path.resolve(context.configDir, options.file);
      const shown = path.relative(process.cwd(), file) || file;
      let stat: fs.Stats;
      try {
        stat = fs.statSync(file);
      } catch {
        throw new Error(`${shown}: cannot read the export (no such file); check "file:" of source "${context.sourceId}"`);
      }
      if (!stat.isFile()) throw new Error(`${shown}: not a regular file; point "file:" at a CSV export`);
      const sha256 = await fileHash(file);
      if (cursor?.sha256 === sha256 && cursor.done === true) return; // Imported already: nothing changed.
      const resumeAfter = cursor?.sha256 === sha256 && typeof cursor.line === 'number' ? cursor.line : 0;

      const skipped: string[] = [];
      const skippedLines = new Set<number>();
      const parser = fs.createReadStream(file).pipe(normaliseLineEnds()).pipe(
        parse({
          bom: true,
          relax_column_count: true,
          skip_empty_lines: true,
          skip_records_with_error: true,
          info: true,
          raw: true,
          on_skip: (error) => {
            // csv-parse may report one broken record more than once; one line per row is enough.
            const line = Number(error?.lines);
            if (error && !skippedLines.has(line)) {
              skippedLines.add(line);
              skipped.push(`${shown}:${error.lines}:1: ${error.message.replace(/^Invalid (Opening|Closing) Quote: /, 'bad quoting: ')}; row skipped`);
            }
            return undefined;
          },
        }),
      );
      let header: Map<string, number> | undefined;
      let records: StreamPage['records'] = [];
      let lastLine = resumeAfter;
      const take = () => {
        const page: StreamPage = { records, cursor: { sha256, line: lastLine }, warnings: skipped.splice(0) };
        records = [];
        return page;
      };
      for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
        const rawText = item.raw.replace(/\n$/, '');
        const endLine = item.info.lines;
        const startLine = endLine - (rawText.match(/\n/g)?.length ?? 0);
        if (header === undefined) {
          header = new Map(item.record.map((name, index) => [name.trim().toLowerCase(), index]));
          const missing = spec.columns.filter((column) => !header!.has(column));
          if (missing.length > 0) {
            throw new Error(
              `${shown}:${startLine}:1: the header lacks ${missing.map((c) => `"${c}"`).join(', ')}; a ${spec.name} export starts with ${spec.columns.join(',')}`,
            );
          }
          continue;
        }
        if (endLine <= resumeAfter) continue;
        lastLine = endLine;
        const starts = fieldStarts(rawText, startLine);
        const fields = new Map<string, CsvField>();
        for (const [name, index] of header) {
          const start = starts[index] ?? { line: startLine, column: 1 };
          fields.set(name, { value: item.record[index] ?? '', ...start });
        }
        const row = new CsvRow(fields, startLine);
        try {
          records.push({ record: spec.map(row), raw: Object.fromEntries([...fields].map(([k, v]) => [k, v.value])) });
        } catch (error) {
          if (!(error instanceof RowError)) throw error;
          const at = row.position(error.column);
          skipped.push(`${shown}:${at.line}:${at.column}: ${error.message}; row skipped`);
        }
        if (records.length >= PAGE_ROWS) yield take();
      }
      if (header === undefined) throw new Error(`${shown}:1:1: the export is empty; it needs a header row: ${spec.columns.join(',')}`);
      const last = take();
      yield { ...last, cursor: { sha256, done: true } };
    },
  };
}

/** An ISO 8601 date or date-time, or a RowError naming the column. */
export function isoDate(row: CsvRow, column: string): string {
  const value = row.required(column);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new RowError(column, `"${column}" is "${value.slice(0, 40)}", not an ISO 8601 date such as 2026-11-02 or 2026-11-02T09:30:00Z`);
  }
  return value;
}

/** One of `allowed` (case-insensitive), or a RowError listing them. */
export function oneOf<T extends string>(row: CsvRow, column: string, allowed: readonly T[], value = row.required(column)): T {
  const normalised = value.toLowerCase().replace(/[\s_]+/g, '-') as T;
  if (!allowed.includes(normalised)) throw new RowError(column, `"${column}" is "${value.slice(0, 40)}"; use one of ${allowed.join(', ')}`);
  return normalised;
}

/** A domain as accounts are joined on it: lower case, no scheme, no `www.`, no path. */
export function normaliseDomain(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/?#].*$/, '')
    .replace(/\.$/, '');
}
