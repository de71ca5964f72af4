/**
 * `ferry ls PROFILE:bucket/prefix`: folders and objects, one per line, written page by page as the
 * listing arrives, so a bucket of millions of objects starts printing at once and never sits in memory.
 */
import { Command } from 'commander';
import { listAll } from '../../storage/provider';
import { parseAddress } from '../address';
import { formatSize } from '../sizes';
import { resolveProfileId } from '../session';
import { COMPUTER_PROFILE_ID } from '../../storage/computer/addressing';
import { shownLocalKey } from '../local-path';
import { print, withSession } from './common';

// ISO dates without milliseconds (`2024-05-01T12:00:00Z`) are 20 characters; columns are two spaces apart.
const DATE_WIDTH = 22;
const SIZE_WIDTH = 14;

function shortDate(iso: string | undefined): string {
  if (!iso) return '-'.padEnd(DATE_WIDTH);
  const d = new Date(iso);
  return (Number.isNaN(d.getTime()) ? iso : d.toISOString().replace(/\.\d{3}Z$/, 'Z')).padEnd(DATE_WIDTH);
}

export function lsCommand(): Command {
  return new Command('ls')
    .description('list buckets (PROFILE:), or folders and objects (PROFILE:bucket/prefix)')
    .argument(
      '<address>',
      'PROFILE: or PROFILE:bucket or PROFILE:bucket/prefix, or a folder on this computer',
    )
    .option('-r, --recursive', 'list every object under the prefix, without folders')
    .option('-H, --human-readable', 'sizes as KiB/MiB/GiB instead of bytes')
    .action(
      async (text: string, options: { recursive?: boolean; humanReadable?: boolean }, command: Command) => {
        const address = parseAddress(text);
        const size = (n: number) => (options.humanReadable ? formatSize(n) : String(n)).padStart(SIZE_WIDTH);
        await withSession(command, {}, async (services) => {
          const profileId = resolveProfileId(services, address.profile);
          const store = services.stores.storeFor(profileId);
          // This computer's keys print as the paths they are.
          const shown = (key: string) =>
            profileId === COMPUTER_PROFILE_ID ? shownLocalKey(address.bucket!, key) : key;
          if (address.bucket === undefined) {
            for (const b of await store.listBuckets()) print(`${shortDate(b.creationDate)}${b.name}`);
            return;
          }
          const list = { prefix: address.key, delimiter: options.recursive ? undefined : '/' };
          for await (const { page } of listAll(store, address.bucket, list)) {
            // Folders and objects of one page, merged back into key order.
            const rows = [
              ...page.prefixes.map((p) => ({
                key: Buffer.from(p),
                line: `${''.padEnd(DATE_WIDTH)}${'DIR'.padStart(SIZE_WIDTH)}  ${shown(p)}`,
              })),
              ...page.objects.map((o) => ({
                key: Buffer.from(o.key),
                line: `${shortDate(o.lastModified)}${o.link ? 'LINK'.padStart(SIZE_WIDTH) : size(o.size)}  ${shown(o.key)}${o.link ? ` -> ${o.link.target}` : ''}`,
              })),
            ].sort((a, b) => Buffer.compare(a.key, b.key)); // byte order, as the server sorts
            for (const row of rows) print(row.line);
          }
        });
      },
    );
}
