// A large workspace takes seconds to list; hovers and lenses need the map, not the list. The root's map is put in
// force while the files are still being listed; nested map files and coverage follow with the list.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { listWorkspaceFiles } from '../../src/map/workspaceFiles';
import type { Logger } from '../../src/shared/contextModel';
import { FolderState } from '../../src/server/workspaceState';
import { copyFixture } from './support/lspTestClient';

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('the map before the workspace is listed', () => {
  let ws: string;
  beforeEach(() => {
    ws = copyFixture();
  });
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('answers from the root map while the listing is still running, then adds nested maps and coverage', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const folder = new FolderState(ws, quiet, async (root) => {
      await held;
      return listWorkspaceFiles(root);
    });
    let early!: () => void;
    const earlyMap = new Promise<void>((resolve) => (early = resolve));
    const reload = folder.reloadFiles(() => undefined, early);

    await earlyMap;
    assert.equal(folder.files.length, 0, 'the listing has not finished');
    assert.equal(folder.map?.explain('src/checkout/couponStep.ts').features[0]?.featureId, 'checkout');
    const coverage = () => folder.coverage;
    assert.equal(coverage(), undefined);
    const warnings = [...folder.problems.values()].flat();
    assert.deepEqual(warnings, [], 'no "matches no file" warnings from an empty list');

    release();
    assert.equal(await reload, true);
    assert.ok(folder.files.length > 0);
    assert.equal(folder.map?.explain('packages/mobile-app/src/checkout/applePay.payment.ts').features[0]?.featureId, 'mobile-checkout');
    assert.equal(coverage()?.total, folder.files.length);
  });

  it('says nothing early when the root has no map file (a map nested below is found by the listing)', async () => {
    fs.rmSync(`${ws}/.customer-lens.yml`);
    let calledEarly = false;
    const folder = new FolderState(ws, quiet);
    assert.equal(await folder.reloadFiles(() => undefined, () => (calledEarly = true)), true);
    assert.equal(calledEarly, false);
    assert.ok(folder.map?.feature('mobile-checkout'));
  });
});
