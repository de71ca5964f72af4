/**
 * OSS ↔ S3 vocabulary: request headers (`x-oss-*` → `x-amz-*`), answer headers back, storage-class
 * names, ETag case (OSS answers upper-case hex, RGW lower-case) and the `encoding-type=url` fields
 * of XML answers. The gateway keeps what OSS has and S3 lacks (the object's CRC64 and type) as RGW
 * user metadata under a reserved prefix that clients never see.
 */
import type http from 'node:http';
import { OssError, escapeXml } from './oss-errors';

/** RGW user metadata the gateway keeps for itself. */
export const INTERNAL_META = 'x-amz-meta-ossgw-';
export const CRC_META = `${INTERNAL_META}crc64`;
export const TYPE_META = `${INTERNAL_META}type`;
/** OSS storage classes beyond Standard (RGW has only STANDARD) and server-side encryption (RGW refuses it over plain HTTP). */
export const CLASS_META = `${INTERNAL_META}class`;
export const SSE_META = `${INTERNAL_META}sse`;
export const SSE_KEY_META = `${INTERNAL_META}sse-key-id`;
const ATTRIBUTE_METAS = [CLASS_META, SSE_META, SSE_KEY_META];
const OSS_CLASSES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];
const SSE_ALGORITHMS = ['AES256', 'KMS', 'SM4'];

export type ObjectType = 'Normal' | 'Multipart' | 'Appendable';

const CLASS_TO_S3: Record<string, string> = {
  standard: 'STANDARD',
  ia: 'STANDARD_IA',
  archive: 'GLACIER',
  coldarchive: 'DEEP_ARCHIVE',
  deepcoldarchive: 'DEEP_ARCHIVE',
};
const CLASS_TO_OSS: Record<string, string> = {
  STANDARD: 'Standard',
  STANDARD_IA: 'IA',
  GLACIER: 'Archive',
  DEEP_ARCHIVE: 'ColdArchive',
};

export function storageClassToS3(value: string): string {
  return CLASS_TO_S3[value.toLowerCase()] ?? value;
}
export function storageClassToOss(value: string): string {
  return CLASS_TO_OSS[value] ?? value;
}

/** Headers that mean the same on both dialects and travel as they are. */
const PLAIN = [
  'content-type',
  'content-md5',
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
  'range',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
];

/** An ETag as RGW compares it: quoted, lower-case hex (OSS clients echo the upper-case one). */
export function etagToS3(value: string): string {
  return value.replace(/[0-9A-F]{32}/g, (hex) => hex.toLowerCase());
}
/** An ETag as OSS writes it: upper-case hex, any `-N` suffix kept. */
export function etagToOss(value: string): string {
  return value.replace(/[0-9a-f]{32}/g, (hex) => hex.toUpperCase());
}

/** The request headers RGW should see for a client's OSS headers (wire-byte values). */
export function requestHeadersToS3(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(',') : raw;
    if (PLAIN.includes(name)) out[name] = name.startsWith('if-') ? etagToS3(value) : value;
    else if (name.startsWith('x-oss-meta-')) {
      const metaName = name.slice('x-oss-meta-'.length);
      if (!`x-amz-meta-${metaName}`.startsWith(INTERNAL_META)) out[`x-amz-meta-${metaName}`] = value;
    } else if (name === 'x-oss-storage-class') out['x-amz-storage-class'] = storageClassToS3(value);
    else if (name === 'x-oss-tagging') out['x-amz-tagging'] = value;
    else if (name === 'x-oss-copy-source-range') out['x-amz-copy-source-range'] = value;
    else if (name.startsWith('x-oss-copy-source-if-'))
      out[`x-amz-copy-source-if-${name.slice('x-oss-copy-source-if-'.length)}`] = etagToS3(value);
  }
  return out;
}

/** The answer headers an OSS client should see for RGW's (values passed on as wire bytes). */
export function answerHeadersToOss(
  headers: http.IncomingHttpHeaders,
  requestId: string,
): Record<string, string> {
  const out: Record<string, string> = { 'x-oss-request-id': requestId };
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(',') : raw;
    if (name === 'etag') out.etag = etagToOss(value);
    else if (
      [
        'content-type',
        'content-length',
        'content-range',
        'last-modified',
        'cache-control',
        'content-disposition',
        'content-encoding',
        'content-language',
        'expires',
        'accept-ranges',
      ].includes(name)
    )
      out[name] = value;
    else if (name === CRC_META) out['x-oss-hash-crc64ecma'] = value;
    else if (name === SSE_META) out['x-oss-server-side-encryption'] = value;
    else if (name === SSE_KEY_META) out['x-oss-server-side-encryption-key-id'] = value;
    else if (name === TYPE_META) out['x-oss-object-type'] = value;
    else if (name.startsWith(INTERNAL_META)) continue;
    else if (name.startsWith('x-amz-meta-')) out[`x-oss-meta-${name.slice('x-amz-meta-'.length)}`] = value;
    else if (name === 'x-amz-version-id') out['x-oss-version-id'] = value;
    else if (name === 'x-amz-storage-class') out['x-oss-storage-class'] = storageClassToOss(value);
    else if (name === 'x-amz-tagging-count') out['x-oss-tagging-count'] = value;
    else if (name === 'x-amz-delete-marker') out['x-oss-delete-marker'] = value;
    else if (name === 'x-amz-copy-source-version-id') out['x-oss-copy-source-version-id'] = value;
  }
  const storedClass = headers[CLASS_META];
  if (typeof storedClass === 'string') out['x-oss-storage-class'] = storedClass;
  return out;
}

/**
 * The storage class and server-side encryption an OSS client asked for, checked as OSS checks them
 * and kept as gateway metadata; the gateway answers them on HEAD and GET. None of it is inherited by
 * a copy (OSS copies neither the source's encryption nor, unless asked, its class).
 */
export function requestedAttributes(headers: http.IncomingHttpHeaders): Record<string, string> {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const out: Record<string, string> = {};
  const storageClass = one('x-oss-storage-class');
  if (storageClass !== undefined) {
    const canonical = OSS_CLASSES.find((c) => c.toLowerCase() === storageClass.toLowerCase());
    if (!canonical) throw new OssError(400, 'InvalidArgument', `Invalid storage class: ${storageClass}`);
    out[CLASS_META] = canonical;
  }
  const sse = one('x-oss-server-side-encryption');
  const keyId = one('x-oss-server-side-encryption-key-id');
  if (sse !== undefined) {
    if (!SSE_ALGORITHMS.includes(sse))
      throw new OssError(
        400,
        'InvalidEncryptionAlgorithmError',
        `The encryption method specified is not supported: ${sse}`,
      );
    out[SSE_META] = sse;
    if (keyId) {
      if (sse !== 'KMS')
        throw new OssError(
          400,
          'InvalidArgument',
          'x-oss-server-side-encryption-key-id needs KMS encryption.',
        );
      out[SSE_KEY_META] = keyId;
    }
  } else if (keyId)
    throw new OssError(400, 'InvalidArgument', 'x-oss-server-side-encryption-key-id needs KMS encryption.');
  return out;
}

/** An object's stored metadata without its class and encryption (what a COPY directive carries). */
export function withoutAttributes(meta: Record<string, string>): Record<string, string> {
  const out = { ...meta };
  for (const name of ATTRIBUTE_METAS) delete out[name];
  return out;
}

/** The metadata of an object as RGW headers, to write it again (copy-to-self, append, COPY directive). */
export function storedMetadata(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (typeof raw !== 'string') continue;
    if (
      name.startsWith('x-amz-meta-') ||
      [
        'content-type',
        'cache-control',
        'content-disposition',
        'content-encoding',
        'content-language',
        'expires',
      ].includes(name)
    )
      out[name] = raw;
  }
  return out;
}

/** Only the metadata an OSS client sent (for REPLACE and new objects), as RGW headers. */
export function requestedMetadata(s3Headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(s3Headers))
    if (
      name.startsWith('x-amz-meta-') ||
      [
        'content-type',
        'cache-control',
        'content-disposition',
        'content-encoding',
        'content-language',
        'expires',
      ].includes(name)
    )
      out[name] = value;
  return out;
}

export function unescapeXml(value: string): string {
  return value.replace(/&(lt|gt|amp|apos|quot|#x[0-9a-fA-F]+|#\d+);/g, (_, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'apos') return "'";
    if (e === 'quot') return '"';
    return String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

/** OSS's `encoding-type=url` form of a name: percent-encoded UTF-8. */
export function urlEncodeName(value: string): string {
  return encodeURIComponent(value);
}

/** Rewrites the text of every `<tag>` named in `tags` with `fn` (on the unescaped text). */
export function mapElements(xml: string, tags: string[], fn: (text: string, tag: string) => string): string {
  const names = tags.join('|');
  return xml.replace(
    new RegExp(`<(${names})>([^<]*)</\\1>`, 'g'),
    (_, tag: string, text: string) => `<${tag}>${escapeXml(fn(unescapeXml(text), tag))}</${tag}>`,
  );
}

/** The text of the first `<tag>` in `xml`, unescaped. */
export function elementText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m ? unescapeXml(m[1]!) : undefined;
}

/** Every `<tag>` text in `xml`, unescaped. */
export function elementTexts(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => unescapeXml(m[1]!));
}

/**
 * An RGW listing or upload answer in OSS's words: upper-case ETags, OSS storage-class names, an
 * object `Type` per entry, and with `encoding-type=url` the named fields percent-encoded.
 */
export function listingToOss(xml: string, encodedFields: string[] | undefined, objectTypes = false): string {
  let out = mapElements(xml, ['ETag'], etagToOss);
  out = mapElements(out, ['StorageClass'], storageClassToOss);
  // A listing does not carry user metadata: an ETag with a part count is the mark of a multipart object.
  // RGW writes a Type of its own (always Normal); OSS's is the gateway's to say.
  if (objectTypes)
    out = out
      .replace(/<Type>[^<]*<\/Type>/g, '')
      .replace(
        /(<ETag>[^<]*<\/ETag>)/g,
        (etag: string) => `${etag}<Type>${/-\d+/.test(etag) ? 'Multipart' : 'Normal'}</Type>`,
      );
  if (encodedFields) {
    out = mapElements(out, encodedFields, urlEncodeName);
    out = out.replace(/<EncodingType>[^<]*<\/EncodingType>/g, '');
    out = out.replace(
      /(<(ListBucketResult|ListMultipartUploadsResult|ListPartsResult|ListVersionsResult)[^>]*>)/,
      '$1<EncodingType>url</EncodingType>',
    );
  }
  return out;
}
