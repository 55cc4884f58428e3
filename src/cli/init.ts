import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { MAP_FILE_NAMES, parseMapFile } from '../map/mapFile';
import { createStarterMap, schemaForNewMap, type StarterMap } from '../map/mapInit';
import { listWorkspaceFiles } from '../map/workspaceFiles';
import { ExitCode, InputError, parseCommandArgs, UsageError, type CliCommand } from './cliSupport';
import { formatProblem, plural, relativePath, resolveRoot, rootOption } from './mapSupport';

const usage = `Usage: customer-lens init [--root DIR]

Writes a starter .customer-lens.yml: a feature for each folder CODEOWNERS gives owners to (at any depth) and for
each top-level source folder it says nothing about (or each subfolder of src/, packages/ and the like), owners from
CODEOWNERS, and tests, tooling, CI, build, docs and hidden folders under "unmapped". When customer-lens is not
installed in the repository, also writes .customer-lens.schema.json for editors. Never overwrites an existing map.

Options:
  --root DIR  where to write the map (default: the outermost folder with a map file up to the git repository's top,
              otherwise the current folder)`;

/** `12 features (10 from the folders .github/CODEOWNERS gives owners to), 11 with owners, 4 unmapped patterns`. */
function summary(starter: StarterMap): string {
  const from = starter.codeowners && starter.fromCodeowners > 0 ? ` (${starter.fromCodeowners} from the folders ${starter.codeowners} gives owners to)` : '';
  const owners = starter.codeowners ? `, ${starter.withOwners} with owners from ${starter.codeowners}` : ', no CODEOWNERS for owners';
  return `${plural(starter.features, 'feature')}${from}${owners}, ${plural(starter.unmapped, 'unmapped pattern')}`;
}

/** The top of the git work tree `dir` is in (the folder holding `.git`), if any. */
function gitTop(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

export const initCommand: CliCommand = {
  name: 'init',
  summary: 'Write a starter map from the top-level folders and CODEOWNERS',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, rootOption);
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const root = resolveRoot(io, values.root);
    for (const name of MAP_FILE_NAMES) {
      const existing = path.join(root, name);
      if (await fs.lstat(existing).then(() => true, () => false)) {
        throw new InputError(`${relativePath(io.cwd, existing)} already exists; edit it instead (init never overwrites a map), or pass --root to start a nested map in a subfolder`);
      }
    }
    const files = await listWorkspaceFiles(root, {
      onSkipped: (folder, reason) => io.err(`warning: skipped folder ${folder}: ${reason}`),
      onNotice: (notice) => io.err(`${notice.level === 'warning' ? 'warning' : 'note'}: ${notice.message}`),
    });
    const schema = schemaForNewMap(root, gitTop(root) ?? root);
    const starter = await createStarterMap(root, files, { schema: schema.reference });
    const file = path.join(root, MAP_FILE_NAMES[0]);
    const parsed = parseMapFile(file, starter.text);
    if (!parsed.valid) {
      // The starter map is generated; if it does not validate, say so rather than write a broken file.
      for (const problem of parsed.problems) io.err(formatProblem(problem, io.cwd));
      throw new InputError('the generated map does not validate; nothing was written');
    }
    try {
      await fs.writeFile(file, starter.text, { flag: 'wx' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new InputError(`${relativePath(io.cwd, file)} already exists; edit it instead (init never overwrites a map)`);
      throw new InputError(`cannot write ${relativePath(io.cwd, file)} (${code ?? String(error)}); check the folder's permissions`);
    }
    const lines = [`Wrote ${relativePath(io.cwd, file)}: ${summary(starter)}.`];
    if (schema.write) {
      try {
        await fs.writeFile(schema.write.file, schema.write.text, { flag: 'wx' });
        lines.push(`Wrote ${relativePath(io.cwd, schema.write.file)}, the map's JSON Schema for editors (the map's first line points at it): commit it with the map.`);
      } catch (error) {
        io.err(`warning: could not write ${relativePath(io.cwd, schema.write.file)} (${(error as NodeJS.ErrnoException).code ?? String(error)}); editors will not find the map's schema`);
      }
    }
    lines.push('Next: give each feature a description, merge or split features as the product sees them, then run "customer-lens check".');
    io.out(lines.join('\n'));
    return ExitCode.ok;
  },
};
