// What one keystroke in an open map costs the language server: the server's own FolderState on a temporary folder
// holding the synthetic map, with the synthetic file list handed in (no 100k files on disk).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FolderState } from '../../src/server/workspaceState';

const EDITS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export interface MapEditFigures {
  /** What every edit cost before the edit path existed (still the path for new map files and file-list changes). */
  fullReload: number;
  /** Per keystroke (after the 150 ms debounce): reparse the edited file, recompile, problems with kept warnings. */
  edit: number;
  /** Once typing pauses: coverage of every file, in slices. */
  coverage: number;
  /** The longest time the server is busy without a break during that coverage. */
  longestSlice: number;
  /** Once typing pauses after an edit that changed no pattern (a comment, a description): coverage reused. */
  coverageReused: number;
}

/** Median milliseconds of each phase over a few edits that each add a new pattern to the first feature. */
export async function benchMapEdit(paths: readonly string[], text: string): Promise<MapEditFigures> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-bench-'));
  try {
    const mapFile = path.join(root, '.customer-lens.yml');
    fs.writeFileSync(mapFile, text);
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const folder = new FolderState(root, quiet, async () => [...paths, '.customer-lens.yml']);
    let open = text;
    const openText = (file: string) => (file === mapFile ? open : undefined);
    await folder.reloadFiles(openText);
    if (!folder.map || folder.usingLastGood) throw new Error('the synthetic map did not load');

    // One more pattern in the first feature, as if typed: each edit is new text.
    const edited = (i: number) => text.replace('    paths: [', `    paths: ["/packages/pkg${i % 40}/src/new${i}/", `);
    const fullReload: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      open = edited(i);
      const start = process.hrtime.bigint();
      await folder.reloadMaps(openText);
      fullReload.push(ms(start));
    }

    const edit: number[] = [];
    const coverage: number[] = [];
    const slices: number[] = [];
    for (let i = EDITS; i < 2 * EDITS; i++) {
      open = edited(i);
      let start = process.hrtime.bigint();
      if (!folder.editMap(mapFile, open)) throw new Error('the edit path did not take the edit');
      edit.push(ms(start));
      if (folder.usingLastGood || folder.problems.get(mapFile)?.some((p) => p.severity === 'error')) throw new Error('the edited map has errors');
      // Between slices the server reads its next messages: the longest stretch without such a break is the worst
      // wait a keystroke can have while coverage runs.
      let longest = 0;
      let running = true;
      let last = process.hrtime.bigint();
      const tick = () => {
        const now = process.hrtime.bigint();
        longest = Math.max(longest, Number(now - last) / 1e6);
        last = now;
        if (running) setImmediate(tick);
      };
      setImmediate(tick);
      start = process.hrtime.bigint();
      if (!(await folder.refreshCoverage())) throw new Error('coverage was overtaken');
      coverage.push(ms(start));
      running = false;
      slices.push(longest);
    }

    const reused: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      open = `# note ${i}\n${edited(2 * EDITS - 1)}`;
      if (!folder.editMap(mapFile, open)) throw new Error('the edit path did not take the edit');
      const start = process.hrtime.bigint();
      await folder.refreshCoverage();
      reused.push(ms(start));
    }
    return { fullReload: median(fullReload), edit: median(edit), coverage: median(coverage), longestSlice: median(slices), coverageReused: median(reused) };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
