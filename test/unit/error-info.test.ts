/**
 * One conversion from a thrown value to what a failure shows: the task record, the contract reply
 * and the CLI line all start from `errorInfo`, and differ only in what they add or leave out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProfileError } from '../../main/accounts/profiles';
import { toContractError } from '../../main/app/dispatch';
import { errorShape } from '../../main/cli/errors';
import { StorageError, errorInfo } from '../../main/storage/errors';

const same = (s: string) => s;

const denied = () =>
  new StorageError({
    status: 403,
    code: 'AccessDenied',
    message: 'no',
    requestId: 'req-1',
    hostId: 'host-1',
    ec: '0003-00000001',
  });

describe('error info', () => {
  it('keeps a storage error its status, ids and OSS detail code', () => {
    assert.deepEqual(errorInfo(denied(), same), {
      status: 403,
      code: 'AccessDenied',
      message: 'no',
      requestId: 'req-1',
      hostId: 'host-1',
      ec: '0003-00000001',
    });
  });

  it('redacts every field a server fills in, since a server may quote a secret it was sent', () => {
    const quoted = new StorageError({
      status: 403,
      code: 'Token-TOKEN',
      message: 'the token TOKEN is not allowed',
      requestId: 'req-TOKEN',
      hostId: 'TOKEN',
      ec: 'ec-TOKEN',
    });
    const redact = (s: string) => s.split('TOKEN').join('***');
    assert.deepEqual(errorInfo(quoted, redact), {
      status: 403,
      code: 'Token-***',
      message: 'the token *** is not allowed',
      requestId: 'req-***',
      hostId: '***',
      ec: 'ec-***',
    });
    assert.deepEqual(errorInfo(Object.assign(new Error('say TOKEN'), { code: 'TOKEN' }), redact), {
      status: 0,
      code: '***',
      message: 'say ***',
    });
  });

  it("gives anything else status 0 and its own string code, or the caller's fallback", () => {
    assert.deepEqual(errorInfo(new ProfileError('NoSuchProfile', 'gone'), same), {
      status: 0,
      code: 'NoSuchProfile',
      message: 'gone',
    });
    assert.deepEqual(errorInfo('plain text', same), { status: 0, code: 'Error', message: 'plain text' });
    assert.deepEqual(errorInfo(new Error('boom'), same, 'InternalError'), {
      status: 0,
      code: 'InternalError',
      message: 'boom',
    });
  });

  it('the contract reply adds redaction and shows status and ids only for storage failures', () => {
    const redact = (s: string) => s.replace('secret', '***');
    assert.deepEqual(toContractError(new Error('a secret'), redact), {
      code: 'InternalError',
      message: 'a ***',
    });
    assert.deepEqual(toContractError(denied()), {
      code: 'AccessDenied',
      message: 'no',
      status: 403,
      requestId: 'req-1',
      hostId: 'host-1',
    });
  });

  it('the CLI line keeps the request id of a storage failure and nothing of a profile error', () => {
    assert.deepEqual(errorShape(denied()), { code: 'AccessDenied', message: 'no', requestId: 'req-1' });
    assert.deepEqual(errorShape(new ProfileError('NoSuchProfile', 'gone')), {
      code: 'NoSuchProfile',
      message: 'gone',
    });
  });
});
