// The Debian packages `npm test` and `npm run demo` install for themselves. The machine's own packages are never
// touched: dpkg-query, apt-get and sudo are fakes (a function, or scripts first on PATH) that record what they were
// asked and answer like the real ones.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureSystemPackages, packagesFor, SYSTEM_PACKAGES, type Exec } from '../../test/harness/systemPackages';

function fakeSystem(installed: string[], options: { sudo?: boolean; aptFails?: boolean } = {}) {
  const calls: string[] = [];
  const exec: Exec = (command, args) => {
    calls.push([command, ...args].join(' '));
    if (command === 'dpkg-query') {
      const names = args.filter((a) => !a.startsWith('-'));
      return { status: names.every((n) => installed.includes(n)) ? 0 : 1, stdout: names.filter((n) => installed.includes(n)).map((n) => `${n} installed\n`).join('') };
    }
    if (command === 'sudo') return { status: options.sudo ? 0 : 1, stdout: '' };
    if (command === 'apt-get') return { status: options.aptFails ? 100 : 0, stdout: '' };
    return { status: null, stdout: '' };
  };
  return { exec, calls };
}

const quiet = () => undefined;

describe('system packages (test/harness/systemPackages.ts)', () => {
  it('asks dpkg only, and installs nothing, when every package is there', () => {
    const all = SYSTEM_PACKAGES.map((p) => p.name);
    const system = fakeSystem(all);
    const result = ensureSystemPackages(['test', 'demo'], { exec: system.exec, isRoot: true, env: {}, codeServerCached: false, log: quiet });
    assert.deepEqual(result, { status: 'ok', installed: [] });
    assert.equal(system.calls.length, 1);
    assert.match(system.calls[0], /^dpkg-query -W /);
  });

  it('installs what is missing with apt-get as root: update first, then only the missing packages', () => {
    const system = fakeSystem(['ca-certificates', 'python3', 'postgresql', 'neovim']);
    const result = ensureSystemPackages(['test'], { exec: system.exec, isRoot: true, env: {}, codeServerCached: false, log: quiet });
    assert.deepEqual(result, { status: 'ok', installed: ['chromium', 'libkrb5-dev', 'build-essential'] });
    assert.deepEqual(system.calls.slice(1), [
      'apt-get -o DPkg::Lock::Timeout=300 update',
      'apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends chromium libkrb5-dev build-essential',
    ]);
  });

  it('uses sudo -n when it works without a password', () => {
    const system = fakeSystem([], { sudo: true });
    const result = ensureSystemPackages(['demo'], { exec: system.exec, isRoot: false, env: {}, codeServerCached: true, log: quiet });
    assert.deepEqual(result, { status: 'ok', installed: ['ca-certificates'] });
    assert.deepEqual(system.calls.slice(1), [
      'sudo -n true',
      'sudo -n apt-get -o DPkg::Lock::Timeout=300 update',
      'sudo -n apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends ca-certificates',
    ]);
  });

  it('stops with the one command to run when it may not install', () => {
    const system = fakeSystem(['ca-certificates', 'postgresql', 'neovim']);
    const result = ensureSystemPackages(['test'], { exec: system.exec, isRoot: false, env: {}, codeServerCached: true, log: quiet });
    assert.deepEqual(result, { status: 'needs-admin', missing: ['chromium'], command: 'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium' });
    assert.equal(system.calls.filter((c) => c.includes('apt-get')).length, 0);
  });

  it('reports a failed apt-get with the command to run by hand', () => {
    const system = fakeSystem([], { aptFails: true });
    const result = ensureSystemPackages(['demo'], { exec: system.exec, isRoot: true, env: {}, codeServerCached: true, log: quiet });
    assert.equal(result.status, 'failed');
  });

  it('needs the build tools only until code-server is cached, and no chromium when CUSTOMER_LENS_CHROMIUM names one', () => {
    assert.deepEqual(packagesFor(['demo'], { env: {}, codeServerCached: true }).map((p) => p.name), ['ca-certificates']);
    assert.deepEqual(packagesFor(['test'], { env: { CUSTOMER_LENS_CHROMIUM: '/opt/chrome' }, codeServerCached: true }).map((p) => p.name), ['ca-certificates', 'postgresql', 'neovim']);
    assert.ok(packagesFor(['test'], { env: {}, codeServerCached: false }).some((p) => p.name === 'libkrb5-dev'));
  });

  describe('the script npm test and npm run demo run first (child process, fake dpkg-query and sudo on PATH)', () => {
    let bin: string;
    before(() => {
      bin = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-fake-apt-'));
      fs.chmodSync(bin, 0o755); // readable by the unprivileged user the test switches to
      // dpkg-query knows no package at all; sudo asks for a password (-n makes that a failure).
      fs.writeFileSync(path.join(bin, 'dpkg-query'), '#!/bin/sh\necho "dpkg-query: no packages found matching $*" >&2\nexit 1\n', { mode: 0o755 });
      fs.writeFileSync(path.join(bin, 'sudo'), '#!/bin/sh\necho "sudo: a password is required" >&2\nexit 1\n', { mode: 0o755 });
      fs.writeFileSync(path.join(bin, 'apt-get'), '#!/bin/sh\necho "apt-get must not run" >&2\nexit 99\n', { mode: 0o755 });
    });
    after(() => fs.rmSync(bin, { recursive: true, force: true }));

    it('as a user who may not install: exits 1 at once and prints the single command', function () {
      // Switching to an unprivileged user needs root; a non-root run is that user already.
      const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      const script = path.join(__dirname, '..', 'harness', 'systemPackages.ts');
      const tsx = path.join(__dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
      const started = Date.now();
      const result = spawnSync(process.execPath, [tsx, script, 'test'], {
        encoding: 'utf8',
        env: { PATH: `${bin}:${process.env.PATH}`, HOME: bin, CUSTOMER_LENS_CACHE: path.join(bin, 'cache'), TSX_DISABLE_CACHE: '1' },
        ...asNobody,
      });
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stdout, /Missing Debian packages: chromium \(the browser the sidebar page and UI tests drive\), libkrb5-dev/);
      assert.match(result.stderr, /\n {4}sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium libkrb5-dev build-essential python3 ca-certificates postgresql neovim\n/);
      assert.ok(Date.now() - started < 15_000);
    });
  });
});
