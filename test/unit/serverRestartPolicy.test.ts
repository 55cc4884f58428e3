// When the language server dies: restart it, log each restart, and tell the user once when it keeps dying (the
// policy the extension's ErrorHandler follows). And the request that names the server process behind a connection.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { RestartPolicy } from '../../src/client/restartPolicy';
import { ServerInfoRequest, type ServerInfoResult } from '../../src/shared/lspProtocol';
import { copyFixture, TestLspClient } from './support/lspTestClient';

const MINUTE = 60_000;

describe('language server restarts', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  it('restarts after each of 4 crashes without a message, and stops at the 5th within 3 minutes with one message', () => {
    const policy = new RestartPolicy(4, 3 * MINUTE, clock);
    for (let crash = 1; crash <= 4; crash++) {
      now += 10_000;
      assert.deepEqual(policy.closed(), { restart: true, crashes: crash });
    }
    now += 10_000;
    const fifth = policy.closed();
    assert.equal(fifth.restart, false);
    assert.match(fifth.notify ?? '', /^Customer Lens stopped: its language server exited 5 times in 3 minutes\. .*until you restart it\.$/);
    // Whatever follows (another close, connection errors) adds no second message.
    assert.equal(policy.closed().notify, undefined);
    assert.equal(policy.error(9).notify, undefined);
  });

  it('keeps restarting a server that crashes now and then', () => {
    const policy = new RestartPolicy(4, 3 * MINUTE, clock);
    for (let crash = 0; crash < 20; crash++) {
      now += MINUTE;
      const decision = policy.closed();
      assert.equal(decision.restart, true, `crash ${crash + 1}`);
      assert.ok(decision.crashes <= 3, 'only the crashes of the last 3 minutes count');
      assert.equal(decision.notify, undefined);
    }
  });

  it('tolerates a few connection errors quietly, then stops with one message', () => {
    const policy = new RestartPolicy(4, 3 * MINUTE, clock);
    for (const count of [1, 2, 3]) assert.deepEqual(policy.error(count), { shutdown: false });
    const fourth = policy.error(4);
    assert.equal(fourth.shutdown, true);
    assert.match(fourth.notify ?? '', /keeps failing/);
    assert.deepEqual(policy.error(5), { shutdown: true, notify: undefined });
  });

  it('counts afresh, and may say so once more, after the user restarted the server', () => {
    const policy = new RestartPolicy(1, 3 * MINUTE, clock);
    assert.equal(policy.closed().restart, true);
    assert.ok(policy.closed().notify);
    policy.reset();
    assert.deepEqual(policy.closed(), { restart: true, crashes: 1 });
    assert.ok(policy.closed().notify, 'a new message after a restart by the user');
  });
});

describe('customerLens/serverInfo over LSP', function () {
  this.timeout(30_000);

  it('names the process behind the connection and when it started', async () => {
    const ws = copyFixture();
    const client = await TestLspClient.start({ folders: [ws] });
    try {
      const info = await client.request<ServerInfoResult>(ServerInfoRequest.method);
      assert.ok(Number.isInteger(info.pid) && info.pid > 0 && info.pid !== process.pid, `pid ${info.pid}`);
      // The process exists: signal 0 only checks.
      assert.equal(process.kill(info.pid, 0), true);
      assert.ok(Math.abs(Date.now() - Date.parse(info.startedAt)) < 60_000, info.startedAt);
    } finally {
      await client.stop();
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });
});
