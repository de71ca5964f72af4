/**
 * Reading and writing a pane's typed address (renderer/features/browser/address.ts): which account,
 * bucket and folder `account:bucket/folder/` names, and what completion offers at each stage.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  accountSuggestions,
  bucketSuggestions,
  folderSuggestions,
  formatAddress,
  parseAddress,
  rankByTyped,
  targetOf,
  type AccountRef,
} from '../../renderer/features/browser/address';

const accounts: AccountRef[] = [
  { id: 'local', name: 'Local' },
  { id: 'p1', name: 'RAM user', startPath: 'team-bucket/reports' },
  { id: 'p2', name: 'prod: eu' },
  { id: 'p3', name: 'prod' },
];
const ram = accounts[1]!;

test('text without a colon is an account name being typed', () => {
  assert.deepEqual(parseAddress('RA', accounts), { stage: 'account', partial: 'RA' });
});

test('the account is matched by name, case aside, and the longest name holding a colon wins', () => {
  assert.deepEqual(parseAddress('ram USER:team', accounts), {
    stage: 'bucket',
    account: ram,
    partial: 'team',
  });
  const p = parseAddress('prod: eu:logs/2024/ja', accounts);
  assert.equal(p.stage, 'path');
  if (p.stage !== 'path') return;
  assert.equal(p.account.id, 'p2');
  assert.deepEqual([p.bucket, p.folder, p.partial], ['logs', '2024/', 'ja']);
  assert.equal((parseAddress('prod:logs/', accounts) as { account: AccountRef }).account.id, 'p3');
});

test('an account may also be named by its id, and a leading slash after the colon is ignored', () => {
  assert.deepEqual(parseAddress('p1:/team-bucket/', accounts), {
    stage: 'path',
    account: ram,
    bucket: 'team-bucket',
    folder: '',
    partial: '',
  });
});

test('an unknown account before the colon is reported by the name typed', () => {
  assert.deepEqual(parseAddress('nobody:bucket/', accounts), { stage: 'unknown-account', name: 'nobody' });
  assert.deepEqual(targetOf('nobody:bucket/', accounts), {
    kind: 'problem',
    problem: 'unknown-account',
    name: 'nobody',
  });
});

test('keys keep spaces, "#", "?" and Chinese as typed', () => {
  const p = parseAddress('Local:sample-photos/2025/渡船 #1?/x', accounts);
  assert.equal(p.stage, 'path');
  if (p.stage === 'path') assert.deepEqual([p.folder, p.partial], ['2025/渡船 #1?/', 'x']);
});

test('formatAddress and targetOf are each other’s inverse for every kind of place', () => {
  const places = [
    { prefix: '' },
    { profileId: 'local', prefix: '' },
    { profileId: 'local', bucket: 'sample-photos', prefix: '' },
    { profileId: 'p1', bucket: 'team-bucket', prefix: 'reports/2025 q3/' },
  ];
  for (const place of places) {
    const text = formatAddress(place, accounts);
    const target = targetOf(text, accounts);
    assert.equal(target.kind, 'place', text);
    if (target.kind === 'place') assert.deepEqual(target.place, place, text);
  }
  assert.equal(formatAddress(places[3]!, accounts), 'RAM user:team-bucket/reports/2025 q3/');
});

test('targetOf reads a bare account name, a path without the last slash, and drops empty segments', () => {
  assert.deepEqual(targetOf('local', accounts), {
    kind: 'place',
    place: { profileId: 'local', prefix: '' },
    display: 'Local:',
  });
  const t = targetOf('RAM user:team-bucket/reports//q3', accounts);
  assert.equal(t.kind, 'place');
  if (t.kind === 'place')
    assert.deepEqual(t.place, { profileId: 'p1', bucket: 'team-bucket', prefix: 'reports/q3/' });
});

test('a bucket name the services cannot have is refused before anything is asked', () => {
  assert.deepEqual(targetOf('Local:My Bucket/x', accounts), {
    kind: 'problem',
    problem: 'bad-bucket',
    name: 'My Bucket',
  });
  assert.deepEqual(targetOf('Local:ab', accounts), { kind: 'problem', problem: 'bad-bucket', name: 'ab' });
});

test('suggestions rank names starting with what was typed before names containing it', () => {
  assert.deepEqual(rankByTyped(['archive', 'photos', 'team-photos', 'Photos-2024'], 'pho'), [
    'photos',
    'Photos-2024',
    'team-photos',
  ]);
  assert.deepEqual(rankByTyped(['b', 'a'], ''), ['b', 'a']);
});

test('each stage completes to a whole address one segment longer', () => {
  assert.deepEqual(
    accountSuggestions('ra', accounts).map((s) => s.value),
    ['RAM user:'],
  );
  assert.deepEqual(
    bucketSuggestions(ram, 'te', ['archive', 'team-bucket']).map((s) => [s.value, s.label]),
    [['RAM user:team-bucket/', 'team-bucket']],
  );
  assert.deepEqual(
    folderSuggestions(ram, 'team-bucket', 'reports/', '20', [
      'reports/2024/',
      'reports/2025/',
      'reports/old/',
    ]).map((s) => [s.value, s.label]),
    [
      ['RAM user:team-bucket/reports/2024/', '2024/'],
      ['RAM user:team-bucket/reports/2025/', '2025/'],
    ],
  );
});
