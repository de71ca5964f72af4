/**
 * What the add-account form knows about endpoints: Alibaba Cloud OSS regions and their public,
 * internal (same-region VPC/ECS) and transfer-acceleration endpoints, and the S3-compatible presets.
 */
export const OSS_REGIONS = [
  'cn-hangzhou',
  'cn-shanghai',
  'cn-nanjing',
  'cn-fuzhou',
  'cn-qingdao',
  'cn-beijing',
  'cn-zhangjiakou',
  'cn-huhehaote',
  'cn-wulanchabu',
  'cn-shenzhen',
  'cn-heyuan',
  'cn-guangzhou',
  'cn-chengdu',
  'cn-hongkong',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-3',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'us-west-1',
  'us-east-1',
  'eu-central-1',
  'eu-west-1',
  'me-east-1',
] as const;

export type OssEndpointKind = 'public' | 'internal' | 'accelerate';

export function ossEndpoint(region: string, kind: OssEndpointKind): string {
  // Acceleration is one global name; the signing region stays the bucket's own region.
  if (kind === 'accelerate') return 'https://oss-accelerate.aliyuncs.com';
  return `https://oss-${region}${kind === 'internal' ? '-internal' : ''}.aliyuncs.com`;
}

export const AWS_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-south-1',
  'sa-east-1',
] as const;

export type S3Preset = 'aws' | 'r2' | 'custom';

export function awsEndpoint(region: string): string {
  return `https://s3.${region}.amazonaws.com`;
}

export function r2Endpoint(accountId: string): string {
  return `https://${accountId.trim()}.r2.cloudflarestorage.com`;
}

/** Picks the preset an existing profile was most likely made with, to reopen the form the same way. */
export function detectS3Preset(endpoint: string | undefined): S3Preset {
  if (!endpoint) return 'aws';
  if (/\.r2\.cloudflarestorage\.com\/?$/.test(endpoint)) return 'r2';
  if (/^https:\/\/s3\.[a-z0-9-]+\.amazonaws\.com\/?$/.test(endpoint)) return 'aws';
  return 'custom';
}

export function detectOssEndpointKind(endpoint: string | undefined): OssEndpointKind | 'custom' {
  if (!endpoint) return 'public';
  if (endpoint.includes('oss-accelerate')) return 'accelerate';
  if (/^https:\/\/oss-[a-z0-9-]+-internal\.aliyuncs\.com\/?$/.test(endpoint)) return 'internal';
  if (/^https:\/\/oss-[a-z0-9-]+\.aliyuncs\.com\/?$/.test(endpoint)) return 'public';
  return 'custom';
}
