// "Customer Lens: Customer Impact of My Changes": the report `customer-lens impact` writes, for the working tree of
// every workspace folder that is in a git repository, computed here so the client only shows the markdown.
import { ResponseError } from 'vscode-languageserver/node';
import * as path from 'node:path';
import { changedFiles, type ChangedFiles } from '../git/gitDiff';
import { GitError, runGit } from '../git/gitRunner';
import { impactMarkdown } from '../lens/impactFormats';
import { impactReport } from '../lens/impactReport';
import type { ImpactResult } from '../shared/lspProtocol';
import { lensFolders } from './agentRequests';
import { errorText, VIEW_BUDGET_MS, type ServerContext } from './serverContext';

/** How long the report waits for context that is not cached. */
const IMPACT_WAIT_MS = 4 * VIEW_BUDGET_MS;

/** The remote's default branch when the clone knows it (`origin/HEAD`), else HEAD: the base a pull request would use. */
async function defaultBase(root: string): Promise<string> {
  try {
    const ref = (await runGit(root, ['rev-parse', '--verify', '--quiet', '--abbrev-ref', 'origin/HEAD'], { timeoutMs: 10_000 })).trim();
    return ref || 'HEAD';
  } catch {
    // No remote, or no default branch recorded for it: the uncommitted changes are "my changes".
    return 'HEAD';
  }
}

export async function impactOfWorkingTree(ctx: ServerContext): Promise<ImpactResult> {
  const folders = ctx.workspace.all().filter((f) => f.map);
  if (folders.length === 0) throw new ResponseError(1, 'no workspace folder has a map; create one with "Customer Lens: Create Map…"');
  const files: string[] = [];
  const ranges: string[] = [];
  const problems: string[] = [];
  for (const folder of folders) {
    let change: ChangedFiles;
    try {
      change = await changedFiles(folder.root, { base: await defaultBase(folder.root) });
    } catch (error) {
      problems.push(`${path.basename(folder.root)}: ${errorText(error)}`);
      if (!(error instanceof GitError)) ctx.log.warn(`impact failed root=${folder.root} error=${errorText(error)}`);
      continue;
    }
    files.push(...change.files.map((file) => path.join(folder.root, file)));
    if (!ranges.includes(change.label)) ranges.push(change.label);
  }
  if (ranges.length === 0) throw new ResponseError(1, `no workspace folder with a map is in a git repository (${problems.join('; ')})`);
  const range = ranges.join(', ');
  const report = await impactReport(lensFolders(ctx), files, range, { waitMs: IMPACT_WAIT_MS });
  report.notes.push(...problems);
  ctx.log.info(`impact range=${range} files=${report.files.length} features=${report.features.length}`);
  return { markdown: impactMarkdown(report, ctx.now()), range, fileCount: report.files.length, featureCount: report.features.length };
}
