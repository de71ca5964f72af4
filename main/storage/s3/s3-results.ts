/**
 * Readers for S3 XML results. Listings are requested with `encoding-type=url`, so names are decoded
 * here — but only when the server says it encoded them (`<EncodingType>url</EncodingType>`), and never
 * `NextContinuationToken`, which is opaque (PROTOCOL.md §3.3).
 */
import { StorageError } from '../errors';
import { decodeUrlEncoded } from '../encoding';
import type { BucketInfo, ListPage, ListedPart, MultipartUploadEntry } from '../provider';
import {
  buildXml,
  childBool,
  childNode,
  childNodes,
  childNumber,
  childText,
  parseXml,
  xmlRoot,
  type XmlNode,
} from '../xml';
import { normalizeEtag, quoteEtag } from '../../../preload/shared/etag';

function rootOf(body: string, expected: string): XmlNode {
  let root: ReturnType<typeof xmlRoot>;
  try {
    root = xmlRoot(body);
  } catch (err) {
    throw new StorageError(
      {
        status: 200,
        code: 'MalformedResponse',
        message: `the server sent unreadable XML instead of ${expected}`,
      },
      { cause: err },
    );
  }
  if (!root || root.name !== expected) {
    throw new StorageError({
      status: 200,
      code: 'MalformedResponse',
      message: `the server sent ${root ? `<${root.name}>` : 'an empty body'} instead of <${expected}>`,
    });
  }
  return root.node;
}

function decoderFor(node: XmlNode): (value: string | undefined) => string | undefined {
  const encoded = childText(node, 'EncodingType')?.toLowerCase() === 'url';
  return (value) => (value === undefined ? undefined : encoded ? decodeUrlEncoded(value) : value);
}

export function parseListBuckets(body: string): { buckets: BucketInfo[]; continuationToken?: string } {
  const root = rootOf(body, 'ListAllMyBucketsResult');
  const buckets = childNodes(childNode(root, 'Buckets'), 'Bucket').map((b) => ({
    name: childText(b, 'Name') ?? '',
    creationDate: childText(b, 'CreationDate'),
    region: childText(b, 'BucketRegion') || undefined,
  }));
  return { buckets, continuationToken: childText(root, 'ContinuationToken') || undefined };
}

/**
 * ListObjectsV2 pages are the one result read in bulk (a folder copy or `ferry ls` of 100,000 keys
 * reads 100 of them), and the general XML reader spent about 30 µs per key — more CPU than the rest
 * of a listing. This scanner reads the flat shape S3 servers send; anything it is not sure of
 * (CDATA, comments, namespace prefixes, numeric or unknown entities, a missing Key) sends the page
 * to the general reader instead, so both always agree (test/unit/s3-list-parse.test.ts).
 */
const SCAN_UNSAFE = /<!\[CDATA\[|<!--|<\/?[A-Za-z_][\w.-]*:|&(?!(?:lt|gt|amp|quot|apos);)/;
const ENTITY = /&(lt|gt|amp|quot|apos);/g;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const unescapeXml = (v: string) => (v.includes('&') ? v.replace(ENTITY, (_, e: string) => ENTITIES[e]!) : v);

function scanText(block: string, name: string): string | undefined {
  const open = block.indexOf(`<${name}>`);
  if (open < 0) return undefined;
  const start = open + name.length + 2;
  const end = block.indexOf(`</${name}>`, start);
  if (end < 0) return undefined;
  const raw = block.slice(start, end);
  return raw.includes('<') ? undefined : unescapeXml(raw).trim();
}

export function scanListObjectsV2(body: string): ListPage | undefined {
  const text = body.trim();
  if (SCAN_UNSAFE.test(text)) return undefined;
  const open = /^(?:<\?xml[^>]*\?>\s*)?<ListBucketResult(?:\s[^>]*)?>/.exec(text);
  if (!open || !text.endsWith('</ListBucketResult>')) return undefined;
  const inner = text.slice(open[0].length, text.length - '</ListBucketResult>'.length);
  const blocks = (tag: string) => {
    const out: string[] = [];
    for (let at = inner.indexOf(`<${tag}>`); at >= 0; at = inner.indexOf(`<${tag}>`, at)) {
      const end = inner.indexOf(`</${tag}>`, at);
      if (end < 0) return undefined;
      out.push(inner.slice(at + tag.length + 2, end));
      at = end + tag.length + 3;
    }
    return out;
  };
  const contents = blocks('Contents');
  const common = blocks('CommonPrefixes');
  if (!contents || !common) return undefined;
  // What is left outside the repeated blocks holds the page's own fields.
  const top = inner.replace(/<Contents>[\s\S]*?<\/Contents>|<CommonPrefixes>[\s\S]*?<\/CommonPrefixes>/g, '');
  const encoded = scanText(top, 'EncodingType')?.toLowerCase() === 'url';
  const decode = (v: string) => (encoded ? decodeUrlEncoded(v) : v);
  const objects: ListPage['objects'] = [];
  for (const c of contents) {
    const key = scanText(c, 'Key');
    if (key === undefined) return undefined;
    const sizeText = scanText(c, 'Size');
    const size = sizeText === undefined || sizeText === '' ? undefined : Number(sizeText);
    if (size !== undefined && !Number.isFinite(size)) return undefined;
    objects.push({
      key: decode(key),
      size: size ?? 0,
      etag: normalizeEtag(scanText(c, 'ETag')),
      lastModified: scanText(c, 'LastModified') ?? '',
      storageClass: scanText(c, 'StorageClass'),
    });
  }
  const prefixes: string[] = [];
  for (const p of common) {
    const prefix = scanText(p, 'Prefix');
    if (prefix === undefined) return undefined;
    prefixes.push(decode(prefix));
  }
  const truncatedText = scanText(top, 'IsTruncated');
  if (truncatedText !== undefined && truncatedText !== 'true' && truncatedText !== 'false') return undefined;
  const truncated = truncatedText === 'true';
  const token = scanText(top, 'NextContinuationToken');
  if (truncated && !token) return undefined; // the general reader says what is wrong
  return { objects, prefixes, nextToken: truncated ? token : undefined };
}

export function parseListObjectsV2(body: string): ListPage {
  return scanListObjectsV2(body) ?? parseListObjectsV2WithXmlReader(body);
}

/** The general reader's answer (the reference the scanner is tested against). */
export function parseListObjectsV2WithXmlReader(body: string): ListPage {
  const root = rootOf(body, 'ListBucketResult');
  const decode = decoderFor(root);
  const objects = childNodes(root, 'Contents').map((c) => ({
    key: decode(childText(c, 'Key')) ?? '',
    size: childNumber(c, 'Size') ?? 0,
    etag: normalizeEtag(childText(c, 'ETag')),
    lastModified: childText(c, 'LastModified') ?? '',
    storageClass: childText(c, 'StorageClass'),
  }));
  const prefixes = childNodes(root, 'CommonPrefixes')
    .map((p) => decode(childText(p, 'Prefix')))
    .filter((p): p is string => p !== undefined);
  const truncated = childBool(root, 'IsTruncated');
  const token = childText(root, 'NextContinuationToken');
  if (truncated && !token) {
    throw new StorageError({
      status: 200,
      code: 'MalformedResponse',
      message: 'the listing is truncated but the server sent no continuation token',
    });
  }
  return { objects, prefixes, nextToken: truncated ? token : undefined };
}

export function parseBucketLocation(body: string): string {
  const value = parseXml(body).LocationConstraint;
  const region = typeof value === 'string' ? value.trim() : '';
  // GetBucketLocation: empty means us-east-1, `EU` is the legacy name of eu-west-1 (§2.4).
  if (region === '') return 'us-east-1';
  if (region === 'EU') return 'eu-west-1';
  return region;
}

export function parseInitiate(body: string): string {
  const uploadId = childText(rootOf(body, 'InitiateMultipartUploadResult'), 'UploadId');
  if (!uploadId)
    throw new StorageError({
      status: 200,
      code: 'MalformedResponse',
      message: 'the server sent no UploadId',
    });
  return uploadId;
}

/** ETag of `CopyObjectResult` / `CopyPartResult` / `CompleteMultipartUploadResult`. */
/**
 * The ETag of a CopyObjectResult, CopyPartResult or CompleteMultipartUploadResult. A folder copy
 * reads one per object, so the flat shape servers send is scanned like a listing page; anything
 * else goes to the general reader.
 */
export function parseResultEtag(body: string, expected: string): string {
  return normalizeEtag(scanResultEtag(body, expected) ?? childText(rootOf(body, expected), 'ETag'));
}

const resultOpenings = new Map<string, RegExp>();

/** The scanner's half of parseResultEtag: undefined whenever it is not sure. */
export function scanResultEtag(body: string, expected: string): string | undefined {
  const text = body.trim();
  if (SCAN_UNSAFE.test(text) || !text.endsWith(`</${expected}>`)) return undefined;
  let opening = resultOpenings.get(expected);
  if (!opening) {
    opening = new RegExp(`^(?:<\\?xml[^>]*\\?>\\s*)?<${expected}(?:\\s[^>]*)?>`);
    resultOpenings.set(expected, opening);
  }
  const open = opening.exec(text);
  if (!open) return undefined;
  const inner = text.slice(open[0].length, text.length - expected.length - 3);
  // Exactly one ETag, not nested in another element of the result.
  if (inner.indexOf('<ETag>') !== inner.lastIndexOf('<ETag>')) return undefined;
  const etag = scanText(inner, 'ETag');
  if (etag === undefined) return undefined;
  const rest = inner.replace(/<ETag>[^<]*<\/ETag>/, '');
  return /^(?:\s*<([A-Za-z][\w.-]*)>[^<]*<\/\1>)*\s*$/.test(rest) ? etag : undefined;
}

export function parseListParts(body: string): { parts: ListedPart[]; nextMarker?: string } {
  const root = rootOf(body, 'ListPartsResult');
  const parts = childNodes(root, 'Part').map((p) => ({
    partNumber: childNumber(p, 'PartNumber') ?? 0,
    etag: normalizeEtag(childText(p, 'ETag')),
    size: childNumber(p, 'Size') ?? 0,
    lastModified: childText(p, 'LastModified'),
  }));
  const truncated = childBool(root, 'IsTruncated');
  return { parts, nextMarker: truncated ? childText(root, 'NextPartNumberMarker') : undefined };
}

export function parseListUploads(body: string): {
  uploads: MultipartUploadEntry[];
  next?: { keyMarker: string; uploadIdMarker: string };
} {
  const root = rootOf(body, 'ListMultipartUploadsResult');
  const decode = decoderFor(root);
  const uploads = childNodes(root, 'Upload').map((u) => ({
    key: decode(childText(u, 'Key')) ?? '',
    uploadId: childText(u, 'UploadId') ?? '',
    initiated: childText(u, 'Initiated') ?? '',
  }));
  if (!childBool(root, 'IsTruncated')) return { uploads };
  const keyMarker = decode(childText(root, 'NextKeyMarker')) ?? uploads.at(-1)?.key ?? '';
  const uploadIdMarker = childText(root, 'NextUploadIdMarker') ?? uploads.at(-1)?.uploadId ?? '';
  return { uploads, next: { keyMarker, uploadIdMarker } };
}

export function parseDeleteResult(body: string): { key: string; code: string; message: string }[] {
  const root = rootOf(body, 'DeleteResult');
  return childNodes(root, 'Error').map((e) => ({
    key: childText(e, 'Key') ?? '',
    code: childText(e, 'Code') ?? 'InternalError',
    message: childText(e, 'Message') ?? '',
  }));
}

export function parseTagging(body: string): Record<string, string> {
  const tags: Record<string, string> = {};
  // Ceph RGW answers an object without tags with an empty 200.
  if (body.trim() === '') return tags;
  for (const tag of childNodes(childNode(rootOf(body, 'Tagging'), 'TagSet'), 'Tag')) {
    const key = childText(tag, 'Key');
    if (key !== undefined) tags[key] = childText(tag, 'Value') ?? '';
  }
  return tags;
}

export function taggingXml(tags: Record<string, string>): string {
  return buildXml('Tagging', {
    TagSet: { Tag: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
  });
}

export function deleteXml(keys: string[]): string {
  return buildXml('Delete', { Quiet: 'true', Object: keys.map((Key) => ({ Key })) });
}

/** Complete body: ascending part numbers, one entry per number, ETags quoted as S3 returned them. */
export function completeXml(parts: { partNumber: number; etag: string }[]): string {
  const byNumber = new Map<number, string>();
  for (const p of parts) byNumber.set(p.partNumber, p.etag);
  const sorted = [...byNumber.entries()].sort((a, b) => a[0] - b[0]);
  return buildXml('CompleteMultipartUpload', {
    Part: sorted.map(([PartNumber, etag]) => ({ PartNumber, ETag: quoteEtag(etag) })),
  });
}
