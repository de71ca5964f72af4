/**
 * Turns `ferry cp` arguments into the engine's request: sources, destination folder and CopyOptions.
 * The engine always copies *into* a folder and keeps the source's name (preload/shared/keys.ts), so a
 * destination that names the object itself (no trailing `/`) works only when the name stays the same.
 */
import { CopyOptions, LIMITS, Metadata, type ConflictPolicy } from '../../preload/shared/contract';
import { baseName, parentOf } from '../../preload/shared/keys';
import type { Address } from './address';
import { UsageError } from './errors';
import { formatSize, parseSize } from './sizes';

export interface CpFlags {
  recursive?: boolean;
  metadataDirective?: 'COPY' | 'REPLACE';
  meta?: string[];
  contentType?: string;
  cacheControl?: string;
  storageClass?: string;
  conflict?: ConflictPolicy;
  multipartThreshold?: string;
  partSize?: string;
}

export interface CopyPlan {
  source: { bucket: string; key: string; isFolder: boolean };
  destination: { bucket: string; prefix: string };
  options: CopyOptions;
}

/** A key's name without a folder's trailing `/`: `docs/` and `docs` name the same thing here. */
function lastSegment(key: string): string {
  return baseName(key).replace(/\/$/, '');
}

export function planSource(src: Address, recursive: boolean): CopyPlan['source'] {
  if (src.bucket === undefined) throw new UsageError('the source must name a bucket: PROFILE:bucket/key');
  if (recursive) {
    if (src.key === '') {
      throw new UsageError(
        '--recursive copies a folder: name one inside the bucket (PROFILE:bucket/folder/)',
      );
    }
    return { bucket: src.bucket, key: src.key.endsWith('/') ? src.key : `${src.key}/`, isFolder: true };
  }
  if (src.key === '')
    throw new UsageError('the source names a bucket, not an object: add a key, or use --recursive');
  if (src.key.endsWith('/')) throw new UsageError(`"${src.key}" is a folder: add --recursive to copy it`);
  return { bucket: src.bucket, key: src.key, isFolder: false };
}

/** A destination ending in `/` (or a bucket alone) is a folder; otherwise it names the copy itself. */
export function planDestination(dst: Address, source: CopyPlan['source']): CopyPlan['destination'] {
  if (dst.bucket === undefined)
    throw new UsageError('the destination must name a bucket: PROFILE:bucket/ or PROFILE:bucket/key');
  if (dst.key === '' || dst.key.endsWith('/')) return { bucket: dst.bucket, prefix: dst.key };
  if (lastSegment(dst.key) !== lastSegment(source.key)) {
    throw new UsageError(
      `copying under another name ("${lastSegment(source.key)}" → "${lastSegment(dst.key)}") is not supported yet; ` +
        `end the destination with "/" to copy into that folder`,
    );
  }
  return { bucket: dst.bucket, prefix: parentOf(dst.key) };
}

/** Options not given stay absent, so checkpoints and logs show only what was asked for. */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function parseMeta(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--meta "${pair}" is not NAME=VALUE`);
    out[pair.slice(0, eq).toLowerCase()] = pair.slice(eq + 1);
  }
  return out;
}

/**
 * A size flag within what the destination's service accepts for a part: at most 5 GiB everywhere,
 * at least the dialect's minimum part size (S3 5 MiB, OSS 100 KiB) when the destination is known.
 */
function partSizeFlag(text: string, flag: string, minPartSize: number | undefined): number {
  const bytes = parseSize(text, flag);
  if (bytes > LIMITS.partSizeMax)
    throw new UsageError(`${flag} ${text} is above 5 GiB, the largest part the storage services accept`);
  if (minPartSize !== undefined && bytes < minPartSize)
    throw new UsageError(
      `${flag} ${text} is below ${formatSize(minPartSize)}, the smallest part the destination's service accepts`,
    );
  return bytes;
}

/**
 * Only what the user typed: part size and multipart threshold left out here are resolved by the
 * engine from the settings when it plans each object, exactly as for a copy started in the app.
 * `minPartSize`: the destination dialect's smallest part, for checking the size flags.
 */
export function planOptions(flags: CpFlags, minPartSize?: number): CopyOptions {
  const userMeta = parseMeta(flags.meta ?? []);
  const replacing = Boolean(flags.meta?.length || flags.contentType || flags.cacheControl);
  const directive = flags.metadataDirective ?? (replacing ? 'REPLACE' : 'COPY');
  if (directive === 'COPY' && replacing) {
    throw new UsageError(
      '--meta, --content-type and --cache-control set new metadata: use --metadata-directive REPLACE',
    );
  }
  let metadata: Metadata | undefined;
  if (directive === 'REPLACE') {
    const parsed = Metadata.safeParse(
      withoutUndefined({ contentType: flags.contentType, cacheControl: flags.cacheControl, userMeta }),
    );
    if (!parsed.success) throw new UsageError(`bad metadata: ${parsed.error.issues[0]?.message}`);
    metadata = parsed.data;
  }
  const options = CopyOptions.safeParse(
    withoutUndefined({
      metadataDirective: directive,
      metadata,
      storageClass: flags.storageClass,
      conflict: flags.conflict ?? 'overwrite',
      multipartThreshold: flags.multipartThreshold
        ? partSizeFlag(flags.multipartThreshold, '--multipart-threshold', minPartSize)
        : undefined,
      partSize: flags.partSize ? partSizeFlag(flags.partSize, '--part-size', minPartSize) : undefined,
    }),
  );
  if (!options.success) throw new UsageError(`bad copy options: ${options.error.issues[0]?.message}`);
  return options.data;
}
