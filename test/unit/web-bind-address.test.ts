import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allowedHostsFor } from '../../main/web/security';
import { BindingError, isLoopbackHost, parseRemoteName, resolveBinding } from '../../main/web/bind-address';

describe('where the web host listens (--host, --allow-remote)', () => {
  test('listens on 127.0.0.1 when no --host is given', () => {
    assert.deepEqual(resolveBinding(undefined, undefined), { listenHost: '127.0.0.1', urlHost: '127.0.0.1' });
  });

  test('treats localhost, 127.x and ::1 as loopback, with no flag needed', () => {
    for (const host of [
      'localhost',
      'LOCALHOST',
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
    ]) {
      assert.equal(isLoopbackHost(host), true, host);
      const binding = resolveBinding(host, undefined);
      assert.equal(binding.remote, undefined, host);
    }
    // localhost is whatever /etc/hosts says: Ferry listens on the loopback address itself.
    assert.equal(resolveBinding('localhost', undefined).listenHost, '127.0.0.1');
    assert.equal(resolveBinding('localhost', undefined).urlHost, 'localhost');
  });

  test('refuses --host 0.0.0.0, ::, a LAN address or a name without --allow-remote, saying why', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', '10.0.0.5', 'nas.lan', '128.0.0.1']) {
      assert.throws(
        () => resolveBinding(host, undefined),
        (err: Error) =>
          err instanceof BindingError && /clear HTTP/.test(err.message) && /--allow-remote/.test(err.message),
        host,
      );
    }
  });

  test('with --allow-remote, listens where asked and answers to the named Host only', () => {
    const binding = resolveBinding('0.0.0.0', 'nas.lan');
    assert.deepEqual(binding, {
      listenHost: '0.0.0.0',
      urlHost: 'nas.lan',
      remote: { host: 'nas.lan', port: undefined },
    });
    const hosts = allowedHostsFor(binding, 8080);
    assert.ok(hosts.has('nas.lan:8080'));
    assert.ok(hosts.has('127.0.0.1:8080'));
    assert.equal(hosts.has('0.0.0.0:8080'), false, 'an unnamed address is never an allowed Host');
    assert.equal(hosts.has('other.lan:8080'), false);
    const forwarded = allowedHostsFor(resolveBinding('192.168.1.20', '192.168.1.20:80'), 8080);
    assert.ok(forwarded.has('192.168.1.20:80'));
    assert.ok(forwarded.has('192.168.1.20'), 'browsers leave out port 80');
  });

  test('refuses --allow-remote with a loopback --host, and malformed or loopback names', () => {
    assert.throws(() => resolveBinding('127.0.0.1', 'nas.lan'), BindingError);
    assert.throws(() => resolveBinding(undefined, 'nas.lan'), BindingError);
    for (const bad of [
      '',
      'http://nas.lan',
      'nas.lan:0',
      'nas.lan:70000',
      'a b',
      'localhost',
      '127.0.0.1:80',
      '0.0.0.0',
      'nas.lan/x',
    ])
      assert.throws(() => parseRemoteName(bad), BindingError, bad);
    assert.deepEqual(parseRemoteName('[fe80::1]:8080'), { host: '[fe80::1]', port: 8080 });
    assert.deepEqual(parseRemoteName('NAS.lan:9000'), { host: 'nas.lan', port: 9000 });
  });
});
