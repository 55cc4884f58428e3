// The language server on workspaces whose files git would not list: a copy of the sample inside a folder the
// enclosing repository ignores (where `npm run demo` puts it), and a repository whose .gitignore ignores everything.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { FeatureListRequest, UnmappedFilesRequest, type FeatureSummary, type UnmappedFolder } from '../../src/shared/lspProtocol';
import { gitInit, tempDir, writeFiles } from './mapFixtures';
import { STOREFRONT, TestLspClient, uriOf } from './support/lspTestClient';

describe('language server: workspaces git does not list', function () {
  this.timeout(30_000);
  let client: TestLspClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  it('sees the files of a folder the enclosing repository ignores (the demo copy under .vscode-test/)', async () => {
    const clone = fs.realpathSync(tempDir());
    writeFiles(clone, { '.gitignore': '.vscode-test/\n', 'README.md': '' });
    gitInit(clone);
    const demo = path.join(clone, '.vscode-test', 'demo', 'storefront');
    fs.cpSync(STOREFRONT, demo, { recursive: true });
    client = await TestLspClient.start({ folders: [demo] });

    const features = await client.request<FeatureSummary[]>(FeatureListRequest.method);
    assert.ok(features.length >= 4);
    for (const feature of features) assert.ok(feature.fileCount > 0, `${feature.id} has ${feature.fileCount} files`);
    const map = client.diagnostics.get(uriOf(path.join(demo, '.customer-lens.yml'))) ?? [];
    assert.deepEqual(map.map((d) => d.message), [], 'no "matches no file" warnings');
    const unmapped = await client.request<UnmappedFolder[]>(UnmappedFilesRequest.method);
    assert.deepEqual(unmapped.map((u) => u.folder), ['src/experimental']);
    assert.ok(client.logs.some((line) => /is ignored by the git repository at .*; listing it by walking its folders/.test(line)), client.logs.join('\n'));
  });

  it('puts one warning on the map, instead of a warning on every pattern, when no file is listed but files exist', async () => {
    const repo = fs.realpathSync(tempDir());
    writeFiles(repo, {
      '.gitignore': '*\n',
      '.customer-lens.yml': 'version: 1\nfeatures:\n  - id: app\n    paths: [/src/]\n  - id: docs\n    paths: [/docs/]\n',
      'src/a.ts': '',
      'docs/b.md': '',
    });
    gitInit(repo);
    client = await TestLspClient.start({ folders: [repo] });
    const uri = uriOf(path.join(repo, '.customer-lens.yml'));
    await client.until(() => (client?.diagnostics.get(uri) ?? []).length > 0, 'a diagnostic on the map');
    const diagnostics: Diagnostic[] = client.diagnostics.get(uri) ?? [];
    assert.deepEqual(
      diagnostics.map((d) => `${d.severity} ${d.code} ${d.range.start.line}:${d.range.start.character}`),
      ['2 no-files-listed 0:0'],
    );
    assert.match(String(diagnostics[0].message), /git ls-files --exclude-standard lists no file in .*, yet it holds files/);
  });
});
