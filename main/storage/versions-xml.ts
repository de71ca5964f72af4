/**
 * Versioned buckets in the XML both dialects share: `ListVersionsResult` (GET /?versions), the
 * `Delete` batch with `VersionId`, and `VersioningConfiguration` (docs/PROTOCOL.md §3.5). S3 and OSS
 * name every element alike.
 */
import { StorageError } from './errors';
import { decodeUrlEncoded } from './encoding';
import type { ObjectVersionEntry, VersionPage, VersioningState } from './provider';
import { buildXml, childBool, childNodes, childNumber, childText, xmlRoot, type XmlNode } from './xml';
import { normalizeEtag } from '../../preload/shared/etag';

function rootOf(body: string, expected: string): XmlNode {
  const root = xmlRoot(body);
  if (!root || root.name !== expected)
    throw new StorageError({
      status: 200,
      code: 'MalformedResponse',
      message: `the server sent ${root ? `<${root.name}>` : 'an empty body'} instead of <${expected}>`,
    });
  return root.node;
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * The parser groups `<Version>` and `<DeleteMarker>` by name, losing the order the server sent them
 * in; it is rebuilt here: keys in byte order, each key's entries newest first (the latest leads).
 */
export function parseListVersions(body: string): VersionPage {
  const root = rootOf(body, 'ListVersionsResult');
  const encoded = childText(root, 'EncodingType')?.toLowerCase() === 'url';
  const decode = (v: string | undefined) => (v === undefined ? undefined : encoded ? decodeUrlEncoded(v) : v);
  const entry = (n: XmlNode, isDeleteMarker: boolean): ObjectVersionEntry => {
    const e: ObjectVersionEntry = {
      key: decode(childText(n, 'Key')) ?? '',
      versionId: childText(n, 'VersionId') ?? 'null',
      isLatest: childBool(n, 'IsLatest'),
      isDeleteMarker,
      size: isDeleteMarker ? 0 : (childNumber(n, 'Size') ?? 0),
      etag: isDeleteMarker ? '' : normalizeEtag(childText(n, 'ETag')),
      lastModified: childText(n, 'LastModified') ?? '',
    };
    const storageClass = childText(n, 'StorageClass');
    if (storageClass && !isDeleteMarker) e.storageClass = storageClass;
    return e;
  };
  const versions = [
    ...childNodes(root, 'Version').map((n) => entry(n, false)),
    ...childNodes(root, 'DeleteMarker').map((n) => entry(n, true)),
  ].sort(
    (a, b) =>
      byteOrder(a.key, b.key) ||
      Number(b.isLatest) - Number(a.isLatest) ||
      Date.parse(b.lastModified) - Date.parse(a.lastModified),
  );
  const prefixes = childNodes(root, 'CommonPrefixes').map((p) => decode(childText(p, 'Prefix')) ?? '');
  if (!childBool(root, 'IsTruncated')) return { versions, prefixes };
  const keyMarker = decode(childText(root, 'NextKeyMarker')) ?? versions.at(-1)?.key ?? '';
  const versionIdMarker = childText(root, 'NextVersionIdMarker') ?? versions.at(-1)?.versionId ?? '';
  return { versions, prefixes, next: { keyMarker, versionIdMarker } };
}

export function deleteVersionsXml(items: { key: string; versionId: string }[]): string {
  return buildXml('Delete', {
    Quiet: 'true',
    Object: items.map((i) => ({ Key: i.key, VersionId: i.versionId })),
  });
}

export function parseDeleteVersionsResult(
  body: string,
  decodeKeys = false,
): { key: string; versionId?: string; code: string; message: string }[] {
  const root = rootOf(body, 'DeleteResult');
  return childNodes(root, 'Error').map((e) => {
    const key = childText(e, 'Key') ?? '';
    const out: { key: string; versionId?: string; code: string; message: string } = {
      key: decodeKeys ? decodeUrlEncoded(key) : key,
      code: childText(e, 'Code') ?? 'InternalError',
      message: childText(e, 'Message') ?? '',
    };
    const versionId = childText(e, 'VersionId');
    if (versionId) out.versionId = versionId;
    return out;
  });
}

/** `<VersioningConfiguration><Status>Enabled</Status>…`; no Status means never enabled. */
export function parseVersioning(body: string): VersioningState {
  if (body.trim() === '') return 'Off';
  const status = childText(rootOf(body, 'VersioningConfiguration'), 'Status');
  return status === 'Enabled' || status === 'Suspended' ? status : 'Off';
}
