// The tests module both runners hand to VS Code (`extensionTestsPath`): VS Code loads it in the extension host and
// awaits `run()`; a rejection makes the run exit with code 1.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { grepVariable, groupVariable, testGroups } from './testGroups';

export async function run(): Promise<void> {
  const groupName = process.env[groupVariable];
  const group = testGroups.find((g) => g.name === groupName);
  if (groupName && !group) throw new Error(`${groupVariable}=${groupName} names no test group (known: ${testGroups.map((g) => g.name).join(', ')})`);
  // Without a group (F5 "Extension Tests" in desktop VS Code), every file runs.
  const files = fs
    .readdirSync(__dirname)
    .filter((file) => (group ? group.includes(file) : /\.test\.js$/.test(file)))
    .sort();
  if (files.length === 0) throw new Error(`no test files for group ${groupName ?? '(all)'} in ${__dirname}`);

  const grep = process.env[grepVariable];
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 30_000, ...(grep ? { grep } : {}) });
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test${failures === 1 ? '' : 's'} failed`);
}
