/**
 * The web host's token in a real browser: browsers do not separate cookies by port, so anything the
 * page leaves in a cookie for 127.0.0.1 would reach every other web server on this machine the user
 * visits. The token must stay out of cookies and out of the address bar, and a reload must still work.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, openPath, pane, row, test } from './fixtures';

test('the token reaches no other server on 127.0.0.1, leaves the address bar after load, and a reload still works', async ({
  app: page,
  ferry,
}) => {
  const token = new URL(ferry.host.url).searchParams.get('token')!;
  expect(token.length).toBeGreaterThan(10);

  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const other = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Another local app</title><p>another local app</p>');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const otherPort = (other.address() as AddressInfo).port;
  try {
    await expect.poll(() => page.url()).not.toContain(token);
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect((await page.context().cookies()).map((c) => c.name)).toEqual([]);

    // The same tab reloaded, with no token in its address: still connected to the host.
    await page.reload();
    await expect(row(pane(page, 'left'), 'sample-photos')).toBeVisible();
    await openPath(page, 'left', ['sample-photos']);
    expect(page.url()).not.toContain(token);

    // Another web server on this machine, visited in the same browser.
    await page.goto(`http://127.0.0.1:${otherPort}/`);
    await expect(page.getByText('another local app')).toBeVisible();
    expect(seen.length).toBeGreaterThan(0);
    for (const request of seen) {
      expect(request.headers.cookie, `cookie sent to ${request.url}`).toBeUndefined();
      expect(JSON.stringify(request)).not.toContain(token);
    }
    expect(await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }))).not.toContain(
      token,
    );

    // Back to Ferry's tab entry: its own origin's session still holds the token.
    await page.goBack();
    await expect(row(pane(page, 'left'), 'sample-photos')).toBeVisible();
    expect(page.url()).not.toContain(token);
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
});
