// The fault suite's table: every case says what it expects and what happened, and the run ends by printing the
// table (case → expected → result) and writing it to test-results/faults/table.md. The README's reliability section
// reproduces it. A case that could not run says so in the table; nothing is skipped silently.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface FaultRow {
  group: string;
  case: string;
  expected: string;
  result: string;
  outcome: 'pass' | 'fail' | 'not run';
}

const rows: FaultRow[] = [];
const REPO = path.resolve(__dirname, '..', '..');
export const TABLE_FILE = path.join(REPO, 'test-results', 'faults', 'table.md');

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

/**
 * A test that is also a row of the table: `run` returns what happened in a few words (figures included), or throws
 * when the expectation does not hold (the row then says FAIL and why).
 */
export function faultCase(group: string, name: string, expected: string, run: () => Promise<string>): Mocha.Test {
  return it(name, () => recordCase(group, name, expected, run));
}

/** Runs one case inside a test that is already running, and records its row (pass, or FAIL with the reason). */
export async function recordCase(group: string, name: string, expected: string, run: () => Promise<string>): Promise<void> {
  try {
    const result = await run();
    rows.push({ group, case: name, expected, result, outcome: 'pass' });
  } catch (error) {
    rows.push({ group, case: name, expected, result: `FAIL: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, outcome: 'fail' });
    throw error;
  }
}

/** A row for a case that cannot run in this build, with the reason; it is printed, never hidden. */
export function notRun(group: string, name: string, expected: string, reason: string): void {
  rows.push({ group, case: name, expected, result: `not run: ${reason}`, outcome: 'not run' });
}

/** The order of the groups in the table, as the README presents them; other groups follow. */
const GROUP_ORDER = ['Endpoint faults', 'Hostile content', 'Broken maps and context files', 'The hub'];

/** The table as markdown, grouped. */
export function renderTable(list: readonly FaultRow[] = rows): string {
  const lines = ['| Case | Expected | Result |', '| --- | --- | --- |'];
  const rank = (group: string) => (GROUP_ORDER.includes(group) ? GROUP_ORDER.indexOf(group) : GROUP_ORDER.length);
  const groups = [...new Set(list.map((row) => row.group))].sort((a, b) => rank(a) - rank(b));
  for (const group of groups) {
    lines.push(`| **${cell(group)}** | | |`);
    for (const row of list.filter((r) => r.group === group)) lines.push(`| ${cell(row.case)} | ${cell(row.expected)} | ${cell(row.result)} |`);
  }
  const passed = list.filter((r) => r.outcome === 'pass').length;
  const failed = list.filter((r) => r.outcome === 'fail').length;
  const skipped = list.filter((r) => r.outcome === 'not run').length;
  return `${lines.join('\n')}\n\n${passed} passed, ${failed} failed, ${skipped} not run.\n`;
}

/** Root hooks: print and write the table once every fault file has run. */
export const mochaHooks = {
  afterAll(): void {
    if (rows.length === 0) return;
    const table = renderTable();
    fs.mkdirSync(path.dirname(TABLE_FILE), { recursive: true });
    fs.writeFileSync(TABLE_FILE, table);
    process.stdout.write(`\nFault table (also in ${path.relative(process.cwd(), TABLE_FILE)}):\n\n${table}`);
  },
};
