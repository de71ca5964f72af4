/**
 * What a copy must send again because no copy inherits it: the source's server-side encryption (a
 * CopyObject, a multipart copy and a streamed copy all get the destination bucket's default unless
 * told, docs/PROTOCOL.md §4.1) and, for multipart and streamed copies, its storage class (Initiate
 * fixes the class of the final object, §5.1). What cannot travel is said per object, in the log.
 */
import type { ObjectHead, ProviderKind, ServerSideEncryption, WriteOptions } from '../storage/provider';
import type { ObjectCopyContext } from './context';

/** Both services' "encrypted with keys the service manages"; every other algorithm is the dialect's own. */
const PORTABLE_ALGORITHM = 'AES256';

/**
 * The encryption the copy is written with. Within one account and region it is the source's, KMS key
 * included. Elsewhere a KMS key id names a key the destination cannot use: the algorithm is kept (the
 * destination's default KMS key then applies) and the dropped key is said. Between OSS and S3 only
 * AES256 means the same; Local stores no encryption.
 */
export function encryptionFor(
  source: ServerSideEncryption | undefined,
  from: ProviderKind,
  to: ProviderKind,
  sameDomain: boolean,
  key: string,
  warn: (message: string) => void,
): ServerSideEncryption | undefined {
  if (!source) return undefined;
  const what = `${source.algorithm}${source.kmsKeyId ? ` with KMS key ${source.kmsKeyId}` : ''}`;
  if (to === 'local') {
    warn(`"${key}" is encrypted on the server (${what}); the Local copy is not encrypted`);
    return undefined;
  }
  if (from === to) {
    if (sameDomain || !source.kmsKeyId) return { ...source };
    warn(
      `"${key}" is encrypted with KMS key ${source.kmsKeyId}, which belongs to the source's account or region; ` +
        `the copy is encrypted with ${source.algorithm} and the destination's default key`,
    );
    return { algorithm: source.algorithm };
  }
  if (source.algorithm === PORTABLE_ALGORITHM) return { algorithm: PORTABLE_ALGORITHM };
  warn(
    `"${key}" is encrypted with ${what}, which ${to === 'oss' ? 'OSS' : 'S3'} does not offer; ` +
      `the copy gets the destination bucket's default encryption`,
  );
  return undefined;
}

/**
 * The storage class an Initiate or PUT carries: the one the person chose, else the source's where
 * both ends speak the same dialect (class names differ between OSS and S3). S3's STANDARD is what an
 * object without a class gets anyway, so it is not sent; OSS buckets have a default class of their
 * own, so the source's is always named there.
 */
export function storageClassFor(
  chosen: string | undefined,
  head: ObjectHead,
  from: ProviderKind,
  to: ProviderKind,
): string | undefined {
  if (chosen) return chosen;
  if (from !== to || from === 'local' || !head.storageClass) return undefined;
  if (to === 's3' && head.storageClass === 'STANDARD') return undefined;
  return head.storageClass;
}

/** The class, encryption and "only if free" of this job's writes, added to `write`. */
export async function withCarriedOver(
  ctx: ObjectCopyContext,
  head: ObjectHead,
  write: WriteOptions,
): Promise<WriteOptions> {
  const from = ctx.src.store.kind;
  const to = ctx.dst.store.kind;
  const out: WriteOptions = { ...write };
  const storageClass = storageClassFor(ctx.options.storageClass, head, from, to);
  if (storageClass) out.storageClass = storageClass;
  else delete out.storageClass;
  const sameDomain = head.encryption?.kmsKeyId ? await ctx.sameCopyDomain().catch(() => false) : false;
  const encryption = encryptionFor(head.encryption, from, to, sameDomain, ctx.job.srcKey, (m) =>
    ctx.log.warn(m),
  );
  if (encryption) out.encryption = encryption;
  if (ctx.job.createOnly) out.forbidOverwrite = true;
  return out;
}
