/**
 * Bucket names by each service's own rules, checked before any request (the renderer shows the
 * same words as you type; the main process refuses the name). OSS: 3–63 lower-case letters, digits
 * and hyphens, starting and ending with a letter or digit. S3 also allows dots, but not two in a
 * row, not an IP address, and not a few prefixes and suffixes AWS keeps for itself
 * (docs/PROTOCOL.md §3.5).
 */
/** Local (and this computer's folders) follow S3's rules. */
export type BucketDialect = 'oss' | 's3' | 'local' | 'computer';

const S3_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const S3_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** Why `name` cannot be a bucket of this dialect, in words for a person; undefined when it can. */
export function bucketNameProblem(name: string, dialect: BucketDialect): string | undefined {
  const service = dialect === 'oss' ? 'OSS' : dialect === 's3' ? 'S3' : 'Local';
  if (name.length < 3 || name.length > 63)
    return `a bucket name is 3 to 63 characters long ("${name.slice(0, 70)}" has ${name.length})`;
  const allowed = dialect === 'oss' ? /^[a-z0-9-]+$/ : /^[a-z0-9.-]+$/;
  if (!allowed.test(name)) {
    const bad = [...name].find((c) => !allowed.test(c)) ?? '';
    const what = /[A-Z]/.test(bad) ? 'capital letters' : bad === '.' ? 'dots' : `"${bad}"`;
    return dialect === 'oss'
      ? `${service} bucket names may not contain ${what}: use lower-case letters, digits and hyphens`
      : `${service} bucket names may not contain ${what}: use lower-case letters, digits, hyphens and dots`;
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name))
    return `a bucket name starts and ends with a lower-case letter or a digit`;
  if (dialect !== 'oss') {
    if (name.includes('..')) return `${service} bucket names may not have two dots in a row`;
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return `a bucket name may not look like an IP address`;
    const prefix = S3_RESERVED_PREFIXES.find((p) => name.startsWith(p));
    if (prefix) return `S3 keeps bucket names starting with "${prefix}" for itself`;
    const suffix = S3_RESERVED_SUFFIXES.find((s) => name.endsWith(s));
    if (suffix) return `S3 keeps bucket names ending in "${suffix}" for itself`;
  }
  return undefined;
}
