/**
 * XML for both dialects (S3 and OSS share element names). The parser is set up to never change data
 * (docs/PROTOCOL.md §3.4): tag values stay strings (a key `00123` or an ETag `1e5` is not a number),
 * text is never trimmed (a tag value ` a ` stays ` a `), the repeatable elements are always arrays,
 * and numeric character references are not decoded — ETags are normalised by `normalizeEtag`
 * (preload/shared/etag.ts) instead. Request bodies never carry a control character raw (§3.5).
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** A parsed element: child elements by name. Leaves are strings (empty elements are ''). */
export interface XmlNode {
  [name: string]: XmlValue;
}
export type XmlValue = string | XmlNode | XmlValue[];

/** Elements that may repeat under their parent in any S3/OSS response we read. */
const REPEATED = new Set([
  'Contents',
  'CommonPrefixes',
  'Part',
  'Upload',
  'Bucket',
  'Version',
  'DeleteMarker',
  'ChecksumAlgorithm',
  'Deleted',
  'Error',
  'Tag',
  'Grant',
  'Rule',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: true,
  // The default (true) strips a tag value's leading and trailing spaces; values are data (§3.4).
  // Whitespace between elements then shows up as `#text`, which no accessor reads.
  trimValues: false,
  // `Error` repeats inside DeleteResult but is the root of an error document; only children repeat.
  isArray: (name, jpath) => REPEATED.has(name) && String(jpath).includes('.'),
});

/**
 * Parses a response body. Bodies are trimmed first: S3 pads CompleteMultipartUpload/CopyObject
 * answers with leading whitespace while it works (§5.3).
 */
export function parseXml(body: string): XmlNode {
  const text = body.trim();
  if (!text) return {};
  const parsed: unknown = parser.parse(text);
  return isNode(parsed) ? parsed : {};
}

/** The root element's name and content, e.g. `ListBucketResult`, or undefined for an empty body. */
export function xmlRoot(body: string): { name: string; node: XmlNode } | undefined {
  const doc = parseXml(body);
  const name = Object.keys(doc)[0];
  if (name === undefined) return undefined;
  const value = doc[name];
  return { name, node: isNode(value) ? value : {} };
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of a child element, or undefined when it is absent (or not a leaf). */
export function childText(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** A child element that holds other elements. */
export function childNode(node: XmlNode | undefined, name: string): XmlNode | undefined {
  const value = node?.[name];
  if (isNode(value)) return value;
  if (Array.isArray(value) && isNode(value[0])) return value[0];
  return undefined;
}

/** Every occurrence of a repeatable child element (always a list, possibly empty). */
export function childNodes(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  // An empty repeated element (`<Contents/>`) parses as ''; it carries nothing.
  return list.filter(isNode);
}

/** `true`/`false` elements such as `IsTruncated`. */
export function childBool(node: XmlNode | undefined, name: string): boolean {
  return childText(node, name)?.trim().toLowerCase() === 'true';
}

/** Integer elements (`Size`, `PartNumber`, `KeyCount`): exact below 2^53, which object sizes stay under. */
export function childNumber(node: XmlNode | undefined, name: string): number | undefined {
  const text = childText(node, name)?.trim();
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** The `<Error>` document both services send (docs/PROTOCOL.md §7.1); every field is optional. */
export interface XmlErrorBody {
  code?: string;
  message?: string;
  requestId?: string;
  hostId?: string;
  /** S3 wrong region (`AuthorizationHeaderMalformed`). */
  region?: string;
  /** OSS wrong endpoint / S3 `PermanentRedirect`. */
  endpoint?: string;
  /** OSS detail code. */
  ec?: string;
  /** Server's string-to-sign on `SignatureDoesNotMatch` — for logs, it shows signer bugs. */
  stringToSign?: string;
  canonicalRequest?: string;
}

const ERROR_ELEMENT = /<(?:[\w.-]+:)?Error[\s/>]/;

/** Reads an `<Error>` body; undefined when the body is not one (empty, HTML from a proxy, …). */
export function parseErrorXml(body: string): XmlErrorBody | undefined {
  // Every successful CopyObject / UploadPartCopy answer passes through here (an error may come with
  // 200): a body with no Error element at all is not worth a full parse.
  if (!ERROR_ELEMENT.test(body)) return undefined;
  let root: ReturnType<typeof xmlRoot>;
  try {
    root = xmlRoot(body);
  } catch {
    return undefined;
  }
  if (!root || root.name !== 'Error') return undefined;
  const n = root.node;
  return {
    code: childText(n, 'Code'),
    message: childText(n, 'Message'),
    requestId: childText(n, 'RequestId'),
    hostId: childText(n, 'HostId'),
    region: childText(n, 'Region'),
    endpoint: childText(n, 'Endpoint'),
    ec: childText(n, 'EC'),
    stringToSign: childText(n, 'StringToSign'),
    canonicalRequest: childText(n, 'CanonicalRequest'),
  };
}

/**
 * Characters XML 1.0 cannot hold at all, raw or as a character reference (§3.5): C0 controls but tab,
 * LF and CR; U+FFFE/U+FFFF; lone surrogates. A key holding one cannot travel in a request body.
 */
const NOT_IN_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a text (a key, a tag value) can be written into an XML 1.0 request body. */
export function fitsXml(text: string): boolean {
  return !NOT_IN_XML.test(text);
}

/**
 * Element text for a request body: the five markup characters as entities, and tab, LF and CR as
 * character references — raw, a parser would turn CR and CRLF into LF and could fold the others
 * (§3.5), so the key the server reads would not be the key that was meant.
 */
export function escapeXmlText(text: string): string {
  if (!fitsXml(text)) {
    throw new RangeError('a control character that XML 1.0 cannot carry cannot go into a request body');
  }
  return text.replace(/[&<>"'\t\n\r]/g, (c) => XML_ESCAPES[c]!);
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

const builder = new XMLBuilder({
  ignoreAttributes: true,
  format: false,
  suppressEmptyNode: false,
  // Escaping is escapeXmlText's alone, so a character reference is never escaped twice.
  processEntities: false,
  tagValueProcessor: (_name: string, value: unknown) =>
    typeof value === 'string' ? escapeXmlText(value) : value,
});

/** A request element tree: strings and numbers are leaves, arrays repeat the element. */
export interface XmlBuildNode {
  [name: string]: string | number | boolean | XmlBuildNode | (string | number | XmlBuildNode)[];
}

/**
 * Serialises a request body such as `CompleteMultipartUpload`, `Delete` or `Tagging`. Text goes
 * through `escapeXmlText`, so keys with `&`/`<`/CR are safe and one that XML cannot hold throws
 * (callers that may meet one check `fitsXml` first).
 */
export function buildXml(root: string, content: XmlBuildNode): string {
  const xml: string = builder.build({ [root]: content });
  return `<?xml version="1.0" encoding="UTF-8"?>${xml}`;
}
