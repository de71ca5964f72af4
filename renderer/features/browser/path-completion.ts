/**
 * Completion and opening of typed addresses (`account:bucket/folder/`), shared by the panes' address
 * bars and any other place a person types a location (the Copy to…/Move to… destination picker).
 *
 * Buckets come from the account's bucket list only where asking for it is allowed (`mayListBuckets`:
 * never on its own for an account with a start path, whose keys may not list buckets); otherwise from
 * the buckets already opened. Folders come from one delimiter listing of the folder being typed in,
 * kept for a short while, so typing a name's letters costs no request per key.
 */
import { useEffect, useState } from 'react';
import type { ContractError } from '../../../preload/shared/contract';
import { call, errorInfo } from '../../api';
import type { Translate } from '../../i18n';
import { mayListBuckets, shownBuckets, useAccounts } from '../../stores/accounts';
import type { Place } from '../../stores/browser';
import {
  accountSuggestions,
  bucketSuggestions,
  folderSuggestions,
  formatAddress,
  parseAddress,
  targetOf,
  type AccountRef,
  type Suggestion,
} from './address';

const FOLDERS_KEPT_MS = 30_000;
const FOLDERS_KEPT_MAX = 64;
/** Enough to complete in any folder a person types in; beyond it, the typed letters narrow the listing. */
const FOLDER_PAGE = 1000;
const TYPING_PAUSE_MS = 120;

interface FolderListing {
  at: number;
  prefixes: Promise<{ prefixes: string[]; truncated: boolean }>;
}
const folderListings = new Map<string, FolderListing>();

function listFolders(profileId: string, bucket: string, prefix: string) {
  const id = JSON.stringify([profileId, bucket, prefix]);
  const kept = folderListings.get(id);
  if (kept && Date.now() - kept.at < FOLDERS_KEPT_MS) return kept.prefixes;
  const prefixes = call('storage.listObjects', {
    profileId,
    bucket,
    prefix,
    delimiter: '/',
    maxKeys: FOLDER_PAGE,
  }).then((page) => ({ prefixes: page.prefixes, truncated: Boolean(page.nextToken) }));
  // A failed listing is not kept: the next key pressed asks again.
  prefixes.catch(() => folderListings.delete(id));
  folderListings.set(id, { at: Date.now(), prefixes });
  if (folderListings.size > FOLDERS_KEPT_MAX) folderListings.delete(folderListings.keys().next().value!);
  return prefixes;
}

/** The accounts as the address bar names them. */
export function addressAccounts(): AccountRef[] {
  return useAccounts.getState().profiles.map((p) => ({ id: p.id, name: p.name, startPath: p.startPath }));
}

async function bucketNames(profileId: string): Promise<string[]> {
  const accounts = useAccounts.getState();
  const profile = accounts.profiles.find((p) => p.id === profileId);
  if (!profile) return [];
  const list = accounts.buckets[profileId];
  if (mayListBuckets(profile, list) && list?.status !== 'ready' && list?.status !== 'error')
    await accounts.loadBuckets(profileId).catch(() => undefined);
  const now = useAccounts.getState();
  return shownBuckets(profile, now.buckets[profileId], now.opened[profileId]);
}

/** What to offer for the text typed so far. */
export async function suggestionsFor(text: string): Promise<Suggestion[]> {
  const accounts = addressAccounts();
  const parsed = parseAddress(text, accounts);
  switch (parsed.stage) {
    case 'account':
      return accountSuggestions(parsed.partial, accounts);
    case 'unknown-account':
      return [];
    case 'bucket':
      return bucketSuggestions(parsed.account, parsed.partial, await bucketNames(parsed.account.id));
    case 'path': {
      const { account, bucket, folder, partial } = parsed;
      const listing = await listFolders(account.id, bucket, folder);
      let prefixes = listing.prefixes;
      // A folder with more than a page of entries: the letters typed narrow the listing itself.
      if (listing.truncated && partial)
        prefixes = [...prefixes, ...(await listFolders(account.id, bucket, folder + partial)).prefixes];
      return folderSuggestions(account, bucket, folder, partial, [...new Set(prefixes)]);
    }
  }
}

export interface PathCompletion {
  suggestions: Suggestion[];
  loading: boolean;
}

/**
 * Suggestions for `text` while `active`, fetched after a short pause in typing; an answer to older
 * text is dropped. A listing that fails offers nothing rather than an error: the person may still
 * type the whole path, and Enter says what is wrong with it.
 */
export function usePathCompletion(text: string, active: boolean): PathCompletion {
  const [state, setState] = useState<PathCompletion & { for?: string }>({ suggestions: [], loading: false });
  useEffect(() => {
    if (!active) return;
    let current = true;
    const timer = setTimeout(() => {
      setState((s) => ({ ...s, loading: true }));
      suggestionsFor(text)
        .catch(() => [])
        .then((suggestions) => {
          if (current) setState({ suggestions, loading: false, for: text });
        });
    }, TYPING_PAUSE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text, active]);
  if (!active) return { suggestions: [], loading: false };
  return { suggestions: state.suggestions, loading: state.loading || state.for !== text };
}

/** Where typed text leads: a place to open (perhaps with a row to select), or a sentence saying why not. */
export type OpenedAddress = { ok: true; place: Place; select?: string } | { ok: false; message: string };

const listsSomething = (page: { objects: unknown[]; prefixes: unknown[] }) =>
  page.objects.length > 0 || page.prefixes.length > 0;

/**
 * Finds out whether an address can be opened, asking the service as little as it can: one small
 * listing of the folder (a key naming an object opens its folder with the object selected). It
 * never asks for the bucket list of an account with a start path, so `acct:bucket/folder/` reaches
 * a folder with keys that may list nothing else.
 */
export async function resolveAddress(text: string, t: Translate): Promise<OpenedAddress> {
  const accounts = addressAccounts();
  const target = targetOf(text, accounts);
  if (target.kind === 'problem')
    return {
      ok: false,
      message:
        target.problem === 'unknown-account'
          ? t('address.unknownAccount', { name: target.name })
          : t('address.badBucket', { name: target.name }),
    };
  const { place } = target;
  const address = target.display;
  const cannot = (err: ContractError) => t('address.cannotOpen', { address, message: err.message });
  if (!place.profileId) return { ok: true, place };
  if (!place.bucket) {
    const state = useAccounts.getState();
    const profile = state.profiles.find((p) => p.id === place.profileId)!;
    // An account with a start path opens there: nothing to ask.
    if (!mayListBuckets(profile, state.buckets[profile.id])) return { ok: true, place };
    try {
      await state.loadBuckets(profile.id);
      return { ok: true, place };
    } catch (err) {
      return {
        ok: false,
        message: t('address.cannotListAccount', { name: profile.name, message: errorInfo(err).message }),
      };
    }
  }
  const at = { profileId: place.profileId, bucket: place.bucket };
  try {
    const folder = await call('storage.listObjects', {
      ...at,
      prefix: place.prefix,
      delimiter: '/',
      maxKeys: 1,
    });
    // A bucket's top level exists even when it is empty; a folder only when something is in it.
    if (place.prefix === '' || listsSomething(folder)) return { ok: true, place };
    // `a/b/c.txt` read as the folder `a/b/c.txt/` holds nothing: it may name an object.
    const key = place.prefix.slice(0, -1);
    const object = await call('storage.listObjects', { ...at, prefix: key, delimiter: '/', maxKeys: 1 });
    if (object.objects[0]?.key === key) {
      const slash = key.lastIndexOf('/');
      return { ok: true, place: { ...place, prefix: key.slice(0, slash + 1) }, select: key };
    }
    return { ok: false, message: t('address.notFound', { address }) };
  } catch (err) {
    return { ok: false, message: cannot(errorInfo(err)) };
  }
}

export { formatAddress, type Suggestion };
