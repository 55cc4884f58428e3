// The impact report laid out four ways: plain text for a terminal, markdown ready to post as a pull request comment
// (with a hidden marker so a workflow can find and update its own comment), JSON, and GitHub Actions workflow
// commands (`::notice file=…`) for annotations. Every string from the context source or the map goes through
// plainText (text) or markdownText (markdown): a problem title may carry markdown, HTML, mentions or bidi characters.
import type { Problem } from '../shared/contextProtocol';
import { formatChange, formatCount, formatMoney } from '../shared/displayFormat';
import { code, link, text } from '../shared/markdownText';
import { plainText, plainUrl, printableJson, printableLines } from '../shared/plainText';
import { problemFigures } from './featureBriefs';
import { describeFreshness } from './freshnessText';
import type { ImpactFeature, ImpactReport } from './impactReport';

/** The hidden first line of the markdown report: a workflow finds its earlier comment by it, and updates that one. */
export const IMPACT_MARKER = '<!-- customer-lens-impact -->';

/** At most this many changed files are named per feature, and in the "in no feature" list. */
const FILES_SHOWN = 8;

/** How to say where context comes from when there is none (the CLI's flags). */
const ENDPOINT_HINT = '--endpoint, or CUSTOMER_LENS_ENDPOINT';

function plural(count: number, word: string): string {
  return `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;
}

/** "3 open problems, the largest hitting 42 customers, up to $386k ARR on one": numbers only. */
export function stakeText(feature: ImpactFeature): string {
  if (!feature.hasContext) return 'no customer context yet';
  const { openProblems, topCustomers, topArr } = feature.stake;
  if (openProblems === 0) return 'no open customer problems';
  const largest = topCustomers > 0 ? `, the largest hitting ${plural(topCustomers, 'customer')}` : '';
  const arr = topArr ? `, up to ${formatMoney(topArr.value, topArr.currency)} ARR on one` : '';
  return `${plural(openProblems, 'open problem')}${largest}${arr}`;
}

function summary(report: ImpactReport): string {
  const files = plural(report.files.length, 'changed file');
  if (report.files.length === 0) return `No changed files in ${report.range}.`;
  if (report.features.length === 0) return `${files} (${report.range}), in no feature of the map: nothing customer-facing is at stake.`;
  return `${files} (${report.range}) touch ${plural(report.features.length, 'feature')}, the most at stake for customers first.`;
}

function fileList(files: readonly string[], show: (file: string) => string): string {
  const shown = files.slice(0, FILES_SHOWN).map(show).join(', ');
  return files.length > FILES_SHOWN ? `${shown} and ${files.length - FILES_SHOWN} more` : shown;
}

function usageFigure(feature: ImpactFeature, escape: (s: string) => string): string | undefined {
  const metric = feature.usage;
  if (!metric) return undefined;
  const unit = metric.unit && !metric.label.toLowerCase().includes(metric.unit.toLowerCase()) ? (metric.unit === '%' ? ' %' : ` ${escape(metric.unit)}`) : '';
  const period = metric.period ? ` (${escape(metric.period)})` : '';
  const change = metric.change !== undefined && formatChange(metric.change) !== '' ? ` ${formatChange(metric.change)}` : '';
  return `${escape(metric.label)} ${formatCount(metric.value)}${unit}${period}${change}`;
}

// ---------------------------------------------------------------------------------------------------------------
// text

function problemFacts(problem: Problem): string {
  return problemFigures(problem).join(' · ');
}

/** For a terminal: every remote string printable and one line. */
export function impactText(report: ImpactReport, now: number): string {
  const lines = [summary(report)];
  for (const feature of report.features) {
    const owners = feature.owners.length > 0 ? ` · ${feature.owners.map((o) => plainText(o, 60)).join(', ')}` : '';
    lines.push('', `${plainText(feature.name, 80)} (${plainText(feature.id, 128)})${owners}`, `  ${stakeText(feature)}`);
    for (const problem of feature.problems) {
      lines.push(`  - ${plainText(problem.title, 120)}${problemFacts(problem) ? ` — ${problemFacts(problem)}` : ''}`);
      const url = plainUrl(problem.url);
      if (url) lines.push(`    ${url}`);
    }
    if (feature.quote) {
      const who = [feature.quote.company, feature.quote.segment].filter((s): s is string => Boolean(s)).map((s) => plainText(s, 40));
      lines.push(`  “${plainText(feature.quote.text, 200)}”${who.length > 0 ? ` — ${who.join(', ')}` : ''}`);
    }
    const usage = usageFigure(feature, (s) => plainText(s, 60));
    if (usage) lines.push(`  Usage: ${usage}`);
    lines.push(`  Changed: ${fileList(feature.files, (f) => plainText(f, 200))}`);
  }
  if (report.unmapped.length + report.ignored.length > 0) lines.push('');
  if (report.unmapped.length > 0) lines.push(`In no feature (the map may need a pattern): ${fileList(report.unmapped, (f) => plainText(f, 200))}`);
  if (report.ignored.length > 0) lines.push(`Not customer-facing (unmapped): ${plural(report.ignored.length, 'file')}`);
  const source = describeFreshness(report.freshness, now, { endpointHint: ENDPOINT_HINT });
  lines.push('', `${source.charAt(0).toUpperCase()}${source.slice(1)}.`);
  for (const note of report.notes) lines.push(`Note: ${plainText(note, 500)}`);
  return printableLines(lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------------------------
// markdown

const NBSP = '\u00a0';

function markdownProblem(problem: Problem): string {
  const facts = problemFigures(problem).map((f) => f.replace(/ /g, NBSP));
  return `- ${link(problem.title, problem.url, 100)}${facts.length > 0 ? ` — ${facts.join(' · ')}` : ''}`;
}

/** One feature: heading with owners (as code, so no one is notified by a review comment), stake, problems, quote, usage. */
function markdownFeature(feature: ImpactFeature): string[] {
  const owners = feature.owners.length > 0 ? ` · ${feature.owners.slice(0, 4).map((o) => code(o, 60)).join(', ')}` : '';
  const lines = [`#### ${text(feature.name, 80)} (${code(feature.id, 128)})${owners}`, '', `${stakeText(feature)}.`];
  if (feature.problems.length > 0) lines.push('', ...feature.problems.map(markdownProblem));
  if (feature.quote) {
    const who = [feature.quote.company, feature.quote.segment].filter((s): s is string => Boolean(s)).map((s) => text(s, 40));
    lines.push('', `> “${text(feature.quote.text, 200)}”${who.length > 0 ? ` — ${who.join(', ')}` : ''}`);
  }
  const usage = usageFigure(feature, (s) => text(s, 60));
  if (usage) lines.push('', `**Usage** ${usage}`);
  lines.push('', `<sub>Changed here: ${fileList(feature.files, (f) => code(f, 200))}</sub>`);
  return lines;
}

/** Ready to post as a pull request comment: starts with IMPACT_MARKER. */
export function impactMarkdown(report: ImpactReport, now: number): string {
  const lines = [IMPACT_MARKER, '### Customer impact', '', text(summary(report), 400)];
  for (const feature of report.features) lines.push('', ...markdownFeature(feature));
  if (report.unmapped.length > 0) lines.push('', `**In no feature** (the map may need a pattern): ${fileList(report.unmapped, (f) => code(f, 200))}`);
  if (report.ignored.length > 0) lines.push('', `Not customer-facing (unmapped): ${plural(report.ignored.length, 'file')}.`);
  const source = describeFreshness(report.freshness, now, { endpointHint: ENDPOINT_HINT });
  const notes = report.notes.map((n) => ` ${text(n, 300)}`).join('');
  lines.push('', `<sub>${text(`${source.charAt(0).toUpperCase()}${source.slice(1)}.`, 400)}${notes} Made by ${code('customer-lens impact')}.</sub>`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// json

/** The report as data: figures as numbers, remote strings as they came (printable), URLs only when http(s). */
export function impactJson(report: ImpactReport, now: number): string {
  return printableJson(
    {
      range: report.range,
      files: report.files,
      features: report.features.map((f) => ({
        id: f.id,
        name: f.name,
        owners: f.owners,
        hasContext: f.hasContext,
        stake: f.stake,
        problems: f.problems.map((p) => ({ ...p, url: plainUrl(p.url) })),
        ...(f.quote ? { quote: { ...f.quote, url: plainUrl(f.quote.url) } } : {}),
        ...(f.usage ? { usage: f.usage } : {}),
        files: f.files,
      })),
      unmapped: report.unmapped,
      ignored: report.ignored,
      source: { ...report.freshness, text: describeFreshness(report.freshness, now, { endpointHint: ENDPOINT_HINT }) },
      notes: report.notes,
    },
    2,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// github

/** A workflow command's message: `%`, CR and LF encoded, as the runner decodes them. */
function commandData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: also `:` and `,`, which would end it. */
function commandProperty(value: string): string {
  return commandData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One `::notice` per touched feature, on its first changed file (GitHub shows at most ten notices per step, so the
 * most at stake come first). `prefix` is the folder's path inside the repository: annotations name repository paths.
 */
export function impactAnnotations(report: ImpactReport, prefix: string): string[] {
  return report.features.slice(0, 10).map((feature) => {
    const file = `${prefix}${feature.files[0] ?? ''}`;
    const top = feature.problems[0];
    const problem = top ? `; top: ${plainText(top.title, 120)}${problemFacts(top) ? ` (${problemFacts(top)})` : ''}` : '';
    const owners = feature.owners.length > 0 ? `; owners ${feature.owners.map((o) => plainText(o, 60)).join(', ')}` : '';
    const title = `Customer impact: ${plainText(feature.name, 80)}`;
    const message = `${stakeText(feature)}${problem}${owners}; ${plural(feature.files.length, 'changed file')} in this feature`;
    return `::notice file=${commandProperty(plainText(file, 400))},title=${commandProperty(title)}::${commandData(message)}`;
  });
}
