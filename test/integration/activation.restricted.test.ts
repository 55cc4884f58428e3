import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, extensionId } from './support';

// This file runs in its own window whose folder is not trusted (the `restricted` group, see testGroups.ts).
describe('activation in Restricted Mode', () => {
  it('opens the workspace untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the restricted group must run in an untrusted workspace');
  });

  it('still activates and returns its test API (the manifest declares limited support)', async () => {
    const api = await activateExtension();

    assert.ok(vscode.extensions.getExtension(extensionId)?.isActive, 'the extension is not active in Restricted Mode');
    assert.equal(typeof api, 'object', '`activate` must return the test API object');
  });
});
