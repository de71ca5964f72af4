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
  'cn-wuhan-lr',
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
  'me-central-1',
  'na-south-1',
] as const;

/** The names the Alibaba Cloud console gives its regions, in both languages; the id goes beside them. */
export const OSS_REGION_NAMES: Record<(typeof OSS_REGIONS)[number], { en: string; 'zh-CN': string }> = {
  'cn-hangzhou': { en: 'China East 1 (Hangzhou)', 'zh-CN': '华东1（杭州）' },
  'cn-shanghai': { en: 'China East 2 (Shanghai)', 'zh-CN': '华东2（上海）' },
  'cn-nanjing': { en: 'China East 5 (Nanjing - Local Region)', 'zh-CN': '华东5（南京-本地地域）' },
  'cn-fuzhou': { en: 'China East 6 (Fuzhou - Local Region)', 'zh-CN': '华东6（福州-本地地域）' },
  'cn-qingdao': { en: 'China North 1 (Qingdao)', 'zh-CN': '华北1（青岛）' },
  'cn-beijing': { en: 'China North 2 (Beijing)', 'zh-CN': '华北2（北京）' },
  'cn-zhangjiakou': { en: 'China North 3 (Zhangjiakou)', 'zh-CN': '华北3（张家口）' },
  'cn-huhehaote': { en: 'China North 5 (Hohhot)', 'zh-CN': '华北5（呼和浩特）' },
  'cn-wulanchabu': { en: 'China North 6 (Ulanqab)', 'zh-CN': '华北6（乌兰察布）' },
  'cn-shenzhen': { en: 'China South 1 (Shenzhen)', 'zh-CN': '华南1（深圳）' },
  'cn-heyuan': { en: 'China South 2 (Heyuan)', 'zh-CN': '华南2（河源）' },
  'cn-guangzhou': { en: 'China South 3 (Guangzhou)', 'zh-CN': '华南3（广州）' },
  'cn-chengdu': { en: 'China Southwest 1 (Chengdu)', 'zh-CN': '西南1（成都）' },
  'cn-wuhan-lr': { en: 'China Central 1 (Wuhan - Local Region)', 'zh-CN': '华中1（武汉-本地地域）' },
  'cn-hongkong': { en: 'China (Hong Kong)', 'zh-CN': '中国香港' },
  'ap-northeast-1': { en: 'Japan (Tokyo)', 'zh-CN': '日本（东京）' },
  'ap-northeast-2': { en: 'South Korea (Seoul)', 'zh-CN': '韩国（首尔）' },
  'ap-southeast-1': { en: 'Singapore', 'zh-CN': '新加坡' },
  'ap-southeast-3': { en: 'Malaysia (Kuala Lumpur)', 'zh-CN': '马来西亚（吉隆坡）' },
  'ap-southeast-5': { en: 'Indonesia (Jakarta)', 'zh-CN': '印度尼西亚（雅加达）' },
  'ap-southeast-6': { en: 'Philippines (Manila)', 'zh-CN': '菲律宾（马尼拉）' },
  'ap-southeast-7': { en: 'Thailand (Bangkok)', 'zh-CN': '泰国（曼谷）' },
  'us-west-1': { en: 'US (Silicon Valley)', 'zh-CN': '美国（硅谷）' },
  'us-east-1': { en: 'US (Virginia)', 'zh-CN': '美国（弗吉尼亚）' },
  'eu-central-1': { en: 'Germany (Frankfurt)', 'zh-CN': '德国（法兰克福）' },
  'eu-west-1': { en: 'UK (London)', 'zh-CN': '英国（伦敦）' },
  'me-east-1': { en: 'UAE (Dubai)', 'zh-CN': '阿联酋（迪拜）' },
  'me-central-1': { en: 'Saudi Arabia (Riyadh)', 'zh-CN': '沙特（利雅得）' },
  'na-south-1': { en: 'Mexico', 'zh-CN': '墨西哥' },
};

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
