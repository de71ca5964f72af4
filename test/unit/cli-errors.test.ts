/** What the CLI prints for an error: the code once, the message, the file a Node error is about. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeError, errorShape } from '../../main/cli/errors';
import { StorageError } from '../../main/storage/errors';

function nodeError(code: string, message: string, extra: object = {}): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code, ...extra });
}

describe('CLI error lines', () => {
  it('prints a file error code once and names the file when the message does not', () => {
    const full = nodeError('ENOSPC', 'ENOSPC: no space left on device, write', {
      path: '/data/checkpoints/task-1.json',
    });
    assert.equal(
      describeError(errorShape(full)),
      'ENOSPC: no space left on device, write (/data/checkpoints/task-1.json)',
    );
    const readOnly = nodeError('EROFS', "EROFS: read-only file system, open '/data/profiles.json'", {
      path: '/data/profiles.json',
    });
    assert.equal(
      describeError(errorShape(readOnly)),
      "EROFS: read-only file system, open '/data/profiles.json'",
    );
  });

  it("keeps a service error's code, message and request id", () => {
    const err = new StorageError({
      status: 404,
      code: 'NoSuchBucket',
      message: 'The specified bucket does not exist',
      requestId: 'tx0001',
    });
    assert.equal(
      describeError(errorShape(err)),
      'NoSuchBucket: The specified bucket does not exist (request id tx0001)',
    );
  });

  it('gives anything else the code Error', () => {
    assert.equal(describeError(errorShape('plain text')), 'Error: plain text');
  });
});
