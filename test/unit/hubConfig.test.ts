// `hub check`: every problem of a hub config at file:line:col, each kind's keys validated by its connector.
import * as assert from 'node:assert/strict';
import { connectors } from '../../src/hub/connectors/registry';
import { tempDir } from './support/hubEngines';
import { hub, writeFiles } from './support/hubRun';

async function check(text: string, files: Record<string, string> = {}) {
  const dir = tempDir();
  writeFiles(dir, { 'hub.yml': text, ...files });
  return hub(['check', '--config', 'hub.yml'], { cwd: dir });
}

describe('hub config (hub check)', () => {
  it('reports every error at file:line:col and exits 1', async () => {
    const result = await check(`version: 2
tokens: { env: "not a name" }
period: fortnight
sources:
  - { id: tickets, kind: csv-tickets, file: t.csv, colour: blue }
  - { id: tickets, kind: csv-usage }
  - { id: gh, kind: github-issues, repo: not-a-repo, token: ghp_literal_secret }
  - { id: x, kind: zendesk-classic }
features:
  - { id: Checkout, tags: [checkout] }
unknown: 1
`);
    assert.equal(result.code, 1);
    const lines = result.err.split('\n');
    for (const expected of [
      /^hub\.yml:1:10: version: must be 1; this is the only hub config version$/,
      /^hub\.yml:2:16: tokens\.env: expected an environment variable name/,
      /^hub\.yml:3:9: period: expected a duration such as 30s, 10m, 6h or 28d/,
      /^hub\.yml:5:52: sources\[0\]: unknown key "colour"$/,
      /^hub\.yml:6:11: sources\[1\]\.id: "tickets" is already the id of sources\[0\]; ids must be unique$/,
      /^hub\.yml:7:42: sources\[2\]\.repo: expected "owner\/name", e\.g\. "acme\/shop"$/,
      /^hub\.yml:7:61: sources\[2\]\.token: write \{ env: NAME \}: credentials come from the environment, never from the config file$/,
      new RegExp(`^hub\\.yml:8:20: sources\\[3\\]\\.kind: unknown kind "zendesk-classic"; the hub knows ${connectors.map((c) => c.kind).join(', ')}$`),
      /^hub\.yml:10:11: features\[0\]\.id: a feature id uses lowercase letters/,
      /^hub\.yml:11:1: the config: unknown key "unknown"$/,
    ]) {
      assert.ok(lines.some((line) => expected.test(line)), `${expected} in:\n${result.err}`);
    }
    assert.match(result.err, /\d+ errors in hub\.yml; fix them and run again$/);
    assert.doesNotMatch(result.err, /ghp_literal_secret/);
  });

  it('validates the zendesk, intercom and linear keys at their positions', async () => {
    const result = await check(`version: 1
sources:
  - id: zd
    kind: zendesk
    token: { env: ZENDESK_API_TOKEN }
    arrField: ""
  - id: ic
    kind: intercom
    token: { env: INTERCOM_TOKEN }
    baseUrl: ftp://api.intercom.io
  - id: ln
    kind: linear
    token: { env: LINEAR_API_KEY }
    labels: customer
  - id: ln2
    kind: linear
    token: lin_api_literal_secret
    lables: [customer]
features:
  - { id: checkout, tags: [checkout] }
`);
    assert.equal(result.code, 1);
    const lines = result.err.split('\n');
    for (const expected of [
      /^hub\.yml:3:5: sources\[0\]: give `subdomain: acme` \(for https:\/\/acme\.zendesk\.com\) or `baseUrl`$/,
      /^hub\.yml:6:15: sources\[0\]\.arrField: name the organization field \(its key\) that holds ARR$/,
      /^hub\.yml:10:14: sources\[1\]\.baseUrl: expected an http\(s\) URL such as https:\/\/api\.intercom\.io$/,
      /^hub\.yml:14:13: sources\[2\]\.labels: list the labels whose issues are problems, e\.g\. labels: \[customer\]$/,
      /^hub\.yml:17:12: sources\[3\]\.token: write \{ env: NAME \}: credentials come from the environment/,
      /^hub\.yml:18:5: sources\[3\]: unknown key "lables"$/,
    ]) {
      assert.ok(lines.some((line) => expected.test(line)), `${expected} in:\n${result.err}`);
    }
    assert.doesNotMatch(result.err, /lin_api_literal_secret/);
  });

  it('reads features from the maps it names, and reports a broken map at its own positions', async () => {
    const ok = await check(
      `version: 1
maps: [map/.customer-lens.yml]
sources: []
features:
  - { id: checkout, tags: [checkout, coupon] }
`,
      { 'map/.customer-lens.yml': 'version: 1\nfeatures:\n  - id: checkout\n    name: Checkout\n    paths: [/src/]\n  - id: search\n    paths: [/search/]\n' },
    );
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /OK, 0 sources \(none\), 2 features/);

    const broken = await check('version: 1\nmaps: [.customer-lens.yml]\n', { '.customer-lens.yml': 'version: 1\nfeatures:\n  - id: Bad Id\n' });
    assert.equal(broken.code, 1);
    assert.match(broken.err, /^\.customer-lens\.yml:3:9: .*id "Bad Id" is not valid/m);
  });

  it('explains a missing file, invalid YAML and an empty config', async () => {
    const dir = tempDir();
    const missing = await hub(['check', '--config', 'nope.yml'], { cwd: dir });
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^nope\.yml:1:1: no such file; pass the hub config with --config FILE$/m);
    const yaml = await check('version: 1\nsources: [\n');
    assert.equal(yaml.code, 1);
    assert.match(yaml.err, /^hub\.yml:3:1: invalid YAML/m);
    const empty = await check('');
    assert.match(empty.err, /^hub\.yml:1:1: the config must be a mapping/m);
  });
});
