/**
 * Where an S3 request goes (docs/PROTOCOL.md §2.2): path-style `host/bucket/key` or virtual-hosted
 * `bucket.host/key`, and for AWS endpoints the regional host of the bucket. The endpoint URL is parsed
 * once; object paths are built from encoded strings and never go through `new URL()`.
 */
import { invalidInput } from '../errors';
import { encodePath } from '../encoding';

export interface S3Target {
  /** `scheme://host[:port]` */
  origin: string;
  /** Host header (`host[:port]`), signed. */
  host: string;
  /** Encoded path without query: `/bucket/key`, `/key`, `/bucket` or `/`. */
  path: string;
}

const AWS_HOST = /^(?:(.+)\.)?s3(?:[.-]([a-z0-9-]+))?\.amazonaws\.com(\.cn)?$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

export class S3Endpoint {
  readonly scheme: 'http:' | 'https:';
  readonly hostname: string;
  readonly port: string;
  /** True for `s3.amazonaws.com` and `s3.<region>.amazonaws.com[.cn]`: the host depends on the region. */
  readonly isAws: boolean;
  private readonly awsChina: boolean;

  constructor(
    endpoint: string,
    readonly pathStyle: boolean,
  ) {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
    let url: URL;
    try {
      url = new URL(withScheme);
    } catch {
      throw invalidInput(`the endpoint "${endpoint}" is not a valid URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw invalidInput(`the endpoint "${endpoint}" must start with http:// or https://`);
    }
    if (url.pathname !== '/' && url.pathname !== '') {
      throw invalidInput(`the endpoint "${endpoint}" must not contain a path`);
    }
    this.scheme = url.protocol;
    this.hostname = url.hostname.toLowerCase();
    this.port = url.port;
    const aws = AWS_HOST.exec(this.hostname);
    this.isAws = Boolean(aws && !aws[1]);
    this.awsChina = Boolean(aws?.[3]);
  }

  /** Identity of the endpoint, for copy domains and clock offsets. */
  get origin(): string {
    return `${this.scheme}//${this.hostHeader(this.hostname)}`;
  }

  private hostHeader(hostname: string): string {
    return this.port ? `${hostname}:${this.port}` : hostname;
  }

  private serviceHost(region: string): string {
    if (!this.isAws) return this.hostname;
    return `s3.${region}.amazonaws.com${this.awsChina ? '.cn' : ''}`;
  }

  /**
   * Virtual-hosted addressing needs a DNS-safe bucket name; dotted names break TLS wildcard
   * certificates, and IP-address endpoints have no DNS at all — those stay path-style.
   */
  private virtualHosted(bucket: string): boolean {
    if (this.pathStyle) return false;
    if (IPV4.test(this.hostname) || this.hostname.startsWith('[') || this.hostname === 'localhost')
      return false;
    if (
      !/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket) &&
      !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)
    ) {
      return false;
    }
    return !(bucket.includes('.') && this.scheme === 'https:');
  }

  /** The request target for a service call (`bucket` undefined), a bucket call or an object call. */
  target(region: string, bucket?: string, key?: string): S3Target {
    const base = this.serviceHost(region);
    const keyPath = key === undefined ? '' : encodePath(key);
    if (bucket === undefined) {
      const host = this.hostHeader(base);
      return { origin: `${this.scheme}//${host}`, host, path: '/' };
    }
    if (this.virtualHosted(bucket)) {
      const host = this.hostHeader(`${bucket}.${base}`);
      return { origin: `${this.scheme}//${host}`, host, path: `/${keyPath}` };
    }
    const host = this.hostHeader(base);
    // A key is always separated by one slash, so a key starting with `/` becomes `/bucket//key`.
    return {
      origin: `${this.scheme}//${host}`,
      host,
      path: key === undefined ? `/${bucket}` : `/${bucket}/${keyPath}`,
    };
  }
}
