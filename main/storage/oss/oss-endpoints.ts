/**
 * Where an OSS request goes (docs/PROTOCOL.md §2.1). OSS domains accept only virtual-hosted requests
 * (`bucket.oss-cn-hangzhou.aliyuncs.com`); IP addresses and compatible/private servers need
 * path-style; a custom domain (CNAME) is bound to one bucket, so its host carries no bucket at all.
 * In every style the signature still names `/bucket/key` — only the URL changes.
 */
import { isIP } from 'node:net';
import { encodePath } from '../encoding';

export type OssEndpointKind = 'public' | 'internal' | 'dualstack' | 'accelerate' | 'accelerate-overseas';

export interface OssEndpoint {
  /** `https:` or `http:`. */
  protocol: string;
  /** Host name with optional `:port`, no bucket prefix. */
  host: string;
}

export interface OssAddressing {
  pathStyle?: boolean;
  cname?: boolean;
}

export interface OssUrl {
  origin: string;
  /** Pre-encoded path without the query. */
  path: string;
}

/** Parses `https://oss-cn-hangzhou.aliyuncs.com` (or a bare host, taken as https). */
export function parseOssEndpoint(endpoint: string): OssEndpoint {
  const m = /^(https?:)\/\/([^/?#]+)\/?$/i.exec(endpoint.trim());
  if (m) return { protocol: m[1]!.toLowerCase(), host: m[2]!.toLowerCase() };
  if (/^[^/?#:]+(:\d+)?$/.test(endpoint.trim()))
    return { protocol: 'https:', host: endpoint.trim().toLowerCase() };
  throw new Error(`not an OSS endpoint: ${endpoint}`);
}

function hostname(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  return host.replace(/:\d+$/, '');
}

export function isIpHost(host: string): boolean {
  return isIP(hostname(host)) !== 0 || hostname(host) === 'localhost';
}

/** The host of a region's endpoint, e.g. `oss-cn-hangzhou-internal.aliyuncs.com`. */
export function ossEndpointHost(region: string, kind: OssEndpointKind = 'public'): string {
  const id = ossRegionId(region);
  switch (kind) {
    case 'public':
      return `oss-${id}.aliyuncs.com`;
    case 'internal':
      return `oss-${id}-internal.aliyuncs.com`;
    case 'dualstack':
      return `${id}.oss.aliyuncs.com`;
    case 'accelerate':
      return 'oss-accelerate.aliyuncs.com';
    case 'accelerate-overseas':
      return 'oss-accelerate-overseas.aliyuncs.com';
  }
}

const REGIONAL = /^oss-([a-z0-9-]+?)(-internal)?\.aliyuncs\.com$/;
const DUALSTACK = /^([a-z0-9-]+)\.oss\.aliyuncs\.com$/;

/** The region and kind of a standard endpoint host; undefined for accelerate, CNAME and private hosts. */
export function describeOssHost(host: string): { region: string; kind: OssEndpointKind } | undefined {
  const name = hostname(host);
  if (/^oss-accelerate(-overseas)?\.aliyuncs\.com$/.test(name)) return undefined;
  const regional = REGIONAL.exec(name);
  if (regional) return { region: regional[1]!, kind: regional[2] ? 'internal' : 'public' };
  const dual = DUALSTACK.exec(name);
  if (dual) return { region: dual[1]!, kind: 'dualstack' };
  return undefined;
}

/**
 * The V4 region id: `LocationConstraint` and endpoints say `oss-cn-hangzhou`, the signing scope
 * wants `cn-hangzhou` (§1.3).
 */
export function ossRegionId(regionOrLocation: string): string {
  return regionOrLocation.replace(/^oss-/, '');
}

/**
 * The endpoint for a bucket that lives in `region`, of the same kind as the configured one; a
 * CNAME, accelerate or private endpoint is kept as it is (they are not per-region).
 */
export function endpointForRegion(configured: OssEndpoint, region: string): OssEndpoint {
  const described = describeOssHost(configured.host);
  if (!described) return configured;
  return { protocol: configured.protocol, host: ossEndpointHost(region, described.kind) };
}

/**
 * The endpoint named by a wrong-region answer's `<Endpoint>` (`oss-cn-shanghai.aliyuncs.com`,
 * sometimes with the bucket or a scheme in front).
 */
export function endpointFromRedirect(configured: OssEndpoint, value: string, bucket: string): OssEndpoint {
  let host = value
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  if (host.startsWith(`${bucket}.`)) host = host.slice(bucket.length + 1);
  return { protocol: configured.protocol, host };
}

/** The origin and encoded path of a request; the key is encoded once and never normalised. */
export function ossUrl(
  endpoint: OssEndpoint,
  addressing: OssAddressing,
  bucket?: string,
  key?: string,
): OssUrl {
  const base = `${endpoint.protocol}//${endpoint.host}`;
  const keyPath = '/' + encodePath(key ?? '');
  if (!bucket) return { origin: base, path: '/' };
  if (addressing.cname) return { origin: base, path: keyPath };
  if (addressing.pathStyle || isIpHost(endpoint.host)) {
    return { origin: base, path: `/${encodePath(bucket)}${keyPath}` };
  }
  return { origin: `${endpoint.protocol}//${bucket}.${endpoint.host}`, path: keyPath };
}
