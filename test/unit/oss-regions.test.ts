/**
 * The OSS region list of the account form (renderer/features/accounts/presets.ts) against the
 * region table of docs/PROTOCOL.md (§2.1.1): every region the table lists is offered, with the
 * console's English and Chinese names, and nothing the table does not list.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { OSS_REGION_NAMES, OSS_REGIONS, ossEndpoint } from '../../renderer/features/accounts/presets';

const PROTOCOL = path.join(__dirname, '..', '..', 'docs', 'PROTOCOL.md');

function documentedRegions(): { id: string; en: string; zh: string }[] {
  const text = readFileSync(PROTOCOL, 'utf8');
  const start = text.indexOf('### 2.1.1 OSS regions');
  assert.ok(start >= 0, 'docs/PROTOCOL.md has its OSS region table (§2.1.1)');
  const section = text.slice(start, text.indexOf('\n### ', start + 1));
  return [...section.matchAll(/^\| `([a-z0-9-]+)`\s*\| ([^|]+)\| ([^|]+)\|$/gm)].map((m) => ({
    id: m[1]!,
    en: m[2]!.trim(),
    zh: m[3]!.trim(),
  }));
}

test('the form offers every OSS region the protocol reference lists, and only those', () => {
  const documented = documentedRegions();
  assert.ok(documented.length >= 25, `the table was read (${documented.length} rows)`);
  const offered = new Set<string>(OSS_REGIONS);
  const missing = documented.filter((r) => !offered.has(r.id)).map((r) => r.id);
  assert.deepEqual(missing, [], 'regions in docs/PROTOCOL.md missing from the form');
  const undocumented = [...offered].filter((id) => !documented.some((r) => r.id === id));
  assert.deepEqual(undocumented, [], 'regions in the form missing from docs/PROTOCOL.md');
  assert.equal(offered.size, OSS_REGIONS.length, 'no region twice');
});

test('each region carries the names people know, in English and Chinese', () => {
  for (const { id, en, zh } of documentedRegions()) {
    const names = OSS_REGION_NAMES[id as (typeof OSS_REGIONS)[number]];
    assert.deepEqual(names, { en, 'zh-CN': zh }, id);
    assert.match(names['zh-CN'], /[\u4e00-\u9fff]/, `${id} has a Chinese name`);
  }
  assert.equal(OSS_REGION_NAMES['cn-hangzhou']['zh-CN'], '华东1（杭州）');
  assert.equal(OSS_REGION_NAMES['cn-hangzhou'].en, 'China East 1 (Hangzhou)');
});

test('the newer regions are there: Wuhan, Riyadh, Dubai, Mexico, Bangkok, Seoul', () => {
  for (const id of [
    'cn-wuhan-lr',
    'me-central-1',
    'me-east-1',
    'na-south-1',
    'ap-southeast-7',
    'ap-northeast-2',
  ])
    assert.ok((OSS_REGIONS as readonly string[]).includes(id), id);
  assert.equal(ossEndpoint('na-south-1', 'public'), 'https://oss-na-south-1.aliyuncs.com');
  assert.equal(ossEndpoint('cn-wuhan-lr', 'internal'), 'https://oss-cn-wuhan-lr-internal.aliyuncs.com');
});
