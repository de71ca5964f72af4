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
  normalizeEtag,
  parseXml,
  xmlRoot,
  type XmlNode,
} from '../xml';

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

export function parseListObjectsV2(body: string): ListPage {
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
export function parseResultEtag(body: string, expected: string): string {
  return normalizeEtag(childText(rootOf(body, expected), 'ETag'));
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
    Part: sorted.map(([PartNumber, etag]) => ({ PartNumber, ETag: `"${normalizeEtag(etag)}"` })),
  });
}
