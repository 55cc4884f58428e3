// The README's Neovim snippet, run as a user runs it: Neovim (Debian's `neovim` package) with the snippet as its
// init file, the built `customer-lens` on the PATH, on a git copy of the sample workspace. A Lua driver
// (support/neovimDriver.lua) opens a file, reads the lens off the screen, presses gK on an anchor and reads the
// floating card, runs the lens, then opens a file of a nested package. Every Lua snippet of the README must at least
// parse; the one for the installed Neovim must work.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildOnce, CLI } from './cliHarness';
import { copyFixture, REPO_ROOT } from './support/lspTestClient';

const DRIVER = path.join(__dirname, 'support', 'neovimDriver.lua');

interface NeovimVersion {
  major: number;
  minor: number;
  text: string;
}

/** The installed Neovim's version; fails with the command that installs it when there is none. */
function installedNeovim(): NeovimVersion {
  const run = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  const match = /NVIM v(\d+)\.(\d+)\.\d+/.exec(run.stdout ?? '');
  if (run.error || !match) {
    throw new Error('Neovim is not installed. Install it with `sudo apt-get install -y neovim` (Debian 12 ships 0.7.2), then run the tests again.');
  }
  return { major: Number(match[1]), minor: Number(match[2]), text: match[0] };
}

interface Snippet {
  /** The first line, e.g. "-- Neovim 0.7 to 0.10". */
  title: string;
  code: string;
  covers(version: NeovimVersion): boolean;
}

/** The README's Lua code blocks, each with the Neovim versions its first line says it is for. */
function readmeSnippets(): Snippet[] {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```lua\n([\s\S]*?)^```$/gm)].map(([, code]) => {
    const title = code.split('\n')[0];
    const range = /^-- Neovim (\d+)\.(\d+) (?:to (\d+)\.(\d+)|and later)/.exec(title);
    const at = (major: string, minor: string) => Number(major) * 1000 + Number(minor);
    return {
      title,
      code,
      covers: (version) => {
        if (!range) return false;
        const v = version.major * 1000 + version.minor;
        return v >= at(range[1], range[2]) && (range[3] === undefined || v <= at(range[3], range[4]));
      },
    };
  });
}

/** Runs nvim headless in `cwd` until it exits; kills it (and the server it started) after `ms`. */
function runNeovim(args: string[], cwd: string, env: NodeJS.ProcessEnv, ms: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('nvim', ['--headless', '--clean', ...args], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
      reject(new Error(`nvim did not finish within ${ms} ms; it printed:\n${output}`));
    }, ms);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      // The language server is nvim's child: make sure nothing outlives the test.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
      resolve({ code, output });
    });
  });
}

describe('Neovim with the README snippet and customer-lens lsp --stdio', function () {
  this.timeout(120_000);
  let version: NeovimVersion;
  let scratch: string;
  let ws: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    version = installedNeovim();
    await buildOnce();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-nvim-'));
    // `customer-lens` on the PATH, as `npm link` puts it there.
    const bin = path.join(scratch, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'customer-lens'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
    ws = copyFixture();
    // A repository, as users have: the snippet starts one server at its root.
    const git = spawnSync('git', ['init', '-q'], { cwd: ws, encoding: 'utf8' });
    assert.equal(git.status, 0, git.stderr);
    env = {
      ...process.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
      // Neovim's own state (its LSP log) goes to the scratch folder, not the user's.
      XDG_STATE_HOME: path.join(scratch, 'state'),
      XDG_CACHE_HOME: path.join(scratch, 'cache'),
      XDG_DATA_HOME: path.join(scratch, 'data'),
    };
  });
  after(() => {
    for (const dir of [scratch, ws]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every Lua snippet of the README parses', async () => {
    const snippets = readmeSnippets();
    assert.ok(snippets.length >= 2, 'the README has a snippet per supported range of Neovim versions');
    for (const [i, snippet] of snippets.entries()) {
      const file = path.join(scratch, `parse-${i}.lua`);
      fs.writeFileSync(file, snippet.code);
      const check = `lua local ok, err = loadfile(${JSON.stringify(file)}); if not ok then io.stderr:write(err) vim.cmd('cquit') end`;
      const run = await runNeovim(['-u', 'NONE', '-c', check, '-c', 'qa!'], scratch, env, 30_000);
      assert.equal(run.code, 0, `${snippet.title}: ${run.output}`);
    }
  });

  it('the snippet for this Neovim: the lens, the card on gK, the lens run, one server for a nested package', async () => {
    const snippet = readmeSnippets().find((s) => s.covers(version));
    assert.ok(snippet, `the README has no Neovim snippet for ${version.text}`);
    const init = path.join(scratch, 'init.lua');
    fs.writeFileSync(init, snippet.code);
    const resultFile = path.join(scratch, 'result.json');
    fs.rmSync(resultFile, { force: true });
    const run = await runNeovim(['-u', init, '-c', `luafile ${DRIVER}`], ws, { ...env, CUSTOMER_LENS_NVIM_RESULT: resultFile }, 100_000);
    assert.ok(fs.existsSync(resultFile), `the driver wrote no result (exit ${run.code}):\n${run.output}`);
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as {
      error?: string;
      steps: string[];
      lens?: string;
      hover_key?: string;
      hover?: string[];
      lens_run?: { type: number; message: string };
      notifications: { message: string }[];
      messages: { type: number; message: string }[];
      nested_lens?: string;
      servers?: number;
    };
    const seen = `${snippet.title}\nsteps: ${result.steps.join(' → ')}\nnotifications: ${JSON.stringify(result.notifications)}\nmessages: ${JSON.stringify(result.messages)}\nnvim: ${run.output}`;
    assert.equal(result.error, undefined, `${result.error}\n${seen}`);

    // The lens at the top of the file, as drawn.
    assert.equal(result.lens, 'Checkout · 3 open problems · 5 quotes · 18.4k checkouts started (7d)', seen);

    // The card in the floating window.
    // The card keeps a figure and its unit together with no-break spaces; read them as the spaces they show as.
    const card = (result.hover ?? []).join('\n').replace(/\u00a0/g, ' ');
    assert.match(card, /Checkout/, seen);
    assert.match(card, /Coupon codes rejected at the coupon step/, card);
    assert.match(card, /42 customers/, card);

    // Running the lens shows the card as a message, with no "does not support command" warning.
    assert.deepEqual(result.notifications, [], seen);
    assert.equal(result.lens_run?.type, 3, seen);
    assert.match((result.lens_run?.message ?? '').replace(/\u00a0/g, ' '), /^Checkout · @shop\/payments · 3 open problems\n/, seen);

    // A nested package's file: its own feature first, the root map's too, in the same server.
    assert.match(result.nested_lens ?? '', /^Mobile checkout \(\+1\) · /, seen);
    assert.equal(result.servers, 1, seen);
  });
});
