/** User metadata travels as a header with the service's own prefix; people know it by that name. */
import type { ProviderKind } from '../../../preload/shared/contract';

export function userMetaPrefix(provider: ProviderKind | undefined): string {
  // Local stores user metadata as S3 does.
  return provider === 'oss' ? 'x-oss-meta-' : 'x-amz-meta-';
}
