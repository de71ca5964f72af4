/**
 * undici's connection Pool and its request API, without the rest of undici. The package's index also
 * loads fetch, cookies, WebSocket and HTTP/2 support, and through them Node's own copy of undici:
 * about 40 ms of every start (`ferry ls`, `ferry cp`, the app) for features Ferry does not use.
 *
 * These are undici's internal paths, so the version is pinned exactly in package.json; the HTTP
 * tests fail at once if a new version moves them.
 */
import type { Dispatcher, Pool as UndiciPool } from 'undici';
import DispatcherBase from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
import PoolImpl from 'undici/lib/dispatcher/pool.js';

// What undici's index does on load: every dispatcher gets request(), stream(), pipeline()…
Object.assign((DispatcherBase as { prototype: object }).prototype, api);

export const Pool = PoolImpl as typeof UndiciPool;
export type Pool = UndiciPool;
export type { Dispatcher };
