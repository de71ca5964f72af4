/**
 * A pane's address as text, `account:bucket/folder/`, and back. Pure (no React, no I/O) so the
 * address bar, the Copy to…/Move to… destination picker and the unit tests share one reading of it.
 *
 * The account is named as the sidebar names it; a name may itself hold a ":", so the longest
 * account name followed by ":" wins. Bucket names never hold ":" or "/", so everything after the
 * bucket is the folder path, kept byte for byte (keys may hold spaces, "#", "?" or Chinese).
 */
import type { Place } from '../../stores/browser';

export interface AccountRef {
  id: string;
  name: string;
  /** `bucket` or `bucket/folder/…` an account opens at when its keys may not list buckets. */
  startPath?: string;
}

/** Where a piece of typed text stands, and what is still being typed at its end. */
export type ParsedAddress =
  /** No ":" yet: an account name is being typed. */
  | { stage: 'account'; partial: string }
  /** `acct:` then the start of a bucket name. */
  | { stage: 'bucket'; account: AccountRef; partial: string }
  /** `acct:bucket/` then folders; `folder` ends with "/" (or is empty), `partial` is the last segment. */
  | { stage: 'path'; account: AccountRef; bucket: string; folder: string; partial: string }
  /** `name:` for a name no account has. */
  | { stage: 'unknown-account'; name: string };

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isBucketName(name: string): boolean {
  return BUCKET_NAME.test(name);
}

/** The account the text starts with (by name or id, then ":"), and how many characters name it. */
function accountBefore(
  text: string,
  accounts: readonly AccountRef[],
): { account: AccountRef; length: number } | undefined {
  const lower = text.toLowerCase();
  let best: { account: AccountRef; length: number } | undefined;
  for (const account of accounts)
    for (const label of [account.name, account.id])
      if (lower.startsWith(`${label.toLowerCase()}:`) && (!best || label.length + 1 > best.length))
        best = { account, length: label.length + 1 };
  return best;
}

export function parseAddress(text: string, accounts: readonly AccountRef[]): ParsedAddress {
  const colon = text.indexOf(':');
  if (colon < 0) return { stage: 'account', partial: text };
  const found = accountBefore(text, accounts);
  if (!found) return { stage: 'unknown-account', name: text.slice(0, colon).trim() };
  const { account } = found;
  // "acct:/bucket" is read as "acct:bucket": a leading slash is a habit from other tools' paths.
  const rest = text.slice(found.length).replace(/^\/+/, '');
  const slash = rest.indexOf('/');
  if (slash < 0) return { stage: 'bucket', account, partial: rest };
  const bucket = rest.slice(0, slash);
  const path = rest.slice(slash + 1);
  const cut = path.lastIndexOf('/') + 1;
  return { stage: 'path', account, bucket, folder: path.slice(0, cut), partial: path.slice(cut) };
}

export function formatAddress(place: Place, accounts: readonly AccountRef[]): string {
  if (!place.profileId) return '';
  const name = accounts.find((a) => a.id === place.profileId)?.name ?? place.profileId;
  if (!place.bucket) return `${name}:`;
  return `${name}:${place.bucket}/${place.prefix}`;
}

/** What Enter on an address means: a place to open (and a row to select), or why it cannot be one. */
export type AddressTarget =
  | { kind: 'place'; place: Place; display: string }
  | { kind: 'problem'; problem: 'unknown-account' | 'bad-bucket'; name: string };

/**
 * The place typed text names. `acct:bucket/a/b` names the folder `a/b/`; whether it is really a
 * folder, an object or nothing is for the caller to find out by listing.
 */
export function targetOf(text: string, accounts: readonly AccountRef[]): AddressTarget {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'place', place: { prefix: '' }, display: '' };
  // An account's name alone, without the ":", still means that account.
  const parsed = parseAddress(trimmed.includes(':') ? trimmed : `${trimmed}:`, accounts);
  if (parsed.stage === 'account') return { kind: 'place', place: { prefix: '' }, display: '' };
  if (parsed.stage === 'unknown-account')
    return { kind: 'problem', problem: 'unknown-account', name: parsed.name };
  const profileId = parsed.account.id;
  const bucket = parsed.stage === 'bucket' ? parsed.partial : parsed.bucket;
  if (bucket === '') {
    const place = { profileId, prefix: '' };
    return { kind: 'place', place, display: formatAddress(place, accounts) };
  }
  if (!isBucketName(bucket)) return { kind: 'problem', problem: 'bad-bucket', name: bucket };
  const path = parsed.stage === 'path' ? parsed.folder + parsed.partial : '';
  // Empty segments ("a//b") name nothing a person meant; keys made that way are reached by clicking.
  const prefix = path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => `${s}/`)
    .join('');
  const place = { profileId, bucket, prefix };
  return { kind: 'place', place, display: formatAddress(place, accounts) };
}

export interface Suggestion {
  /** The whole address the suggestion completes to. */
  value: string;
  /** What the list shows: the one segment it adds. */
  label: string;
  kind: 'account' | 'bucket' | 'folder';
}

/** Names starting with what was typed come first, then names containing it; case is ignored. */
export function rankByTyped(names: readonly string[], typed: string, limit = 50): string[] {
  const needle = typed.toLowerCase();
  const starts: string[] = [];
  const contains: string[] = [];
  for (const name of names) {
    const lower = name.toLowerCase();
    if (lower.startsWith(needle)) starts.push(name);
    else if (needle && lower.includes(needle)) contains.push(name);
  }
  return [...starts, ...contains].slice(0, limit);
}

/** The suggestions for accounts, from the names alone. */
export function accountSuggestions(partial: string, accounts: readonly AccountRef[]): Suggestion[] {
  const byName = new Map(accounts.map((a) => [a.name, a]));
  return rankByTyped([...byName.keys()], partial).map((name) => ({
    value: `${name}:`,
    label: name,
    kind: 'account',
  }));
}

export function bucketSuggestions(
  account: AccountRef,
  partial: string,
  buckets: readonly string[],
): Suggestion[] {
  return rankByTyped(buckets, partial).map((bucket) => ({
    value: `${account.name}:${bucket}/`,
    label: bucket,
    kind: 'bucket',
  }));
}

/** `prefixes` are full prefixes as a listing of `folder` returns them (`folder/sub/`). */
export function folderSuggestions(
  account: AccountRef,
  bucket: string,
  folder: string,
  partial: string,
  prefixes: readonly string[],
): Suggestion[] {
  const names = prefixes
    .filter((p) => p.startsWith(folder) && p.length > folder.length + 1)
    .map((p) => p.slice(folder.length, -1));
  return rankByTyped(names, partial).map((name) => ({
    value: `${account.name}:${bucket}/${folder}${name}/`,
    label: `${name}/`,
    kind: 'folder',
  }));
}

/** The bucket an account's start path names, if it has one. */
export function startBucketOf(account: Pick<AccountRef, 'startPath'>): string | undefined {
  return account.startPath ? account.startPath.split('/')[0] || undefined : undefined;
}
