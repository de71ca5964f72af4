/**
 * ETags as both sides see them. Services quote them, some escape the quotes in XML (`&quot;`,
 * `&#34;`, `&#x22;`: the XML parser leaves character references alone), a proxy may mark them weak
 * (`W/`), and OSS writes hex in upper case where S3 writes lower case. Ferry keeps an ETag unquoted
 * but otherwise as the server sent it, because it goes back verbatim in copy conditions; only
 * comparisons fold case.
 */

const QUOTE_START = /^(?:"|&quot;|&#34;|&#x22;)/i;
const QUOTE_END = /(?:"|&quot;|&#34;|&#x22;)$/i;

/** An ETag without a weak marker or its surrounding quotes, whichever way they were escaped. */
export function normalizeEtag(etag: string | undefined): string {
  if (!etag) return '';
  return etag.trim().replace(/^W\//, '').replace(QUOTE_START, '').replace(QUOTE_END, '');
}

/** The quoted form conditions (`copy-source-if-match`) and CompleteMultipartUpload bodies carry. */
export function quoteEtag(etag: string): string {
  return `"${normalizeEtag(etag)}"`;
}

/** An ETag in the one form two of them compare in: unquoted, lower case. */
export function comparableEtag(etag: string | undefined): string {
  return normalizeEtag(etag).toLowerCase();
}

/** Whether two ETags name the same content, however each server spelled them. */
export function sameEtag(a: string | undefined, b: string | undefined): boolean {
  return comparableEtag(a) === comparableEtag(b);
}
