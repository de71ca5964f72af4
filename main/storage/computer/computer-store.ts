/**
 * The computer provider: the user's own disk as a store, built in and without keys. Its buckets are
 * the disk's roots (addressing.ts) and its keys the paths below them, so `root` + `home/ana/a.txt`
 * is `/home/ana/a.txt`.
 *
 * It is the Local provider's store with another map of buckets to folders: listing, ranged reads,
 * writes, multipart uploads and everything built on the Local store's file layer (downloads into
 * `.NAME.ferry-part` beside the target) work here unchanged. What differs:
 *
 * - Ferry's own state (metadata sidecars, parts of uploads) stays in the data folder, never on the
 *   disk being browsed; an object being written goes to a hidden temp file beside its target, so
 *   the final rename never crosses file systems.
 * - Symbolic links are shown as links (their target in `link`), and never followed: a walk skips
 *   them (a link to a folder above would walk in circles), a key through one is refused with the
 *   way to its target. A pane opens a folder link at the target's own address.
 * - Deleting the last file of a folder leaves the folder; deleting a folder removes its empty
 *   folders afterwards (`removeEmptyFolders`), never anything above it.
 * - A folder that cannot be read, and a file where a folder is expected, are errors that say so.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { StorageError } from '../errors';
import { LocalStore } from '../local/local-store';
import type { NamePlatform } from '../local/platform-names';
import { isStaleTempName, tempName } from '../local/temp-files';
import type { BucketInfo, CopyDomain, ObjectEntry } from '../provider';
import {
  addressOfPath,
  displayPath,
  driveBucket,
  POSIX_ROOT_BUCKET,
  rootOfBucket,
  type ComputerAddress,
} from './addressing';

export interface ComputerStoreOptions {
  platform?: NamePlatform;
  /** Told which links a walk passed by without entering them (for the log). */
  onSkippedLinks?: (folder: string, names: string[]) => void;
}

export class ComputerStore extends LocalStore {
  /** @param stateDir Ferry's own files for this provider, inside the data folder. */
  constructor(stateDir: string, options: ComputerStoreOptions = {}) {
    super(stateDir, options);
  }

  protected override bucketPath(bucket: string): string {
    const root = rootOfBucket(bucket, this.platform);
    if (root === undefined) {
      throw new StorageError({
        status: 404,
        code: 'NoSuchBucket',
        message: `"${bucket}" is not a drive or root of this computer`,
      });
    }
    return root;
  }

  /**
   * Hidden and named so listings leave it out (.ferry-…), beside the target so the rename stays on
   * one disk — and noted in the data folder first, so the sweep at the next start finds the one a
   * kill left on the disk (a name there carries its writer's process id, as temp-files.ts explains).
   */
  protected override async tempFileFor(target: string): Promise<string> {
    const name = tempName();
    const tmp = path.join(path.dirname(target), `.ferry-${name}.tmp`);
    await fs.mkdir(this.pendingDir, { recursive: true });
    await fs.writeFile(path.join(this.pendingDir, `${name}.json`), JSON.stringify({ file: tmp }));
    return tmp;
  }

  protected override async tempFileGone(tmp: string): Promise<void> {
    const name = /\.ferry-(.+)\.tmp$/.exec(path.basename(tmp))?.[1];
    if (name) await fs.rm(path.join(this.pendingDir, `${name}.json`), { force: true });
  }

  private get pendingDir(): string {
    return path.join(this.internal, 'pending');
  }

  /** The Local sweep, and the temp files on the disk whose writer is gone. */
  override async sweepTempFiles(): Promise<string[]> {
    const removed = await super.sweepTempFiles();
    let notes: string[];
    try {
      notes = await fs.readdir(this.pendingDir);
    } catch {
      return removed; // nothing was ever written to the disk
    }
    for (const note of notes) {
      const name = note.replace(/\.json$/, '');
      const file = path.join(this.pendingDir, note);
      try {
        const st = await fs.lstat(file);
        if (!isStaleTempName(name, st.mtimeMs)) continue;
        const { file: tmp } = JSON.parse(await fs.readFile(file, 'utf8')) as { file?: unknown };
        // Only a file of exactly the name Ferry gave it: a note never removes anything else.
        if (typeof tmp === 'string' && path.basename(tmp) === `.ferry-${name}.tmp`) {
          const found = await fs.lstat(tmp).catch(() => undefined);
          if (found?.isFile()) {
            await fs.rm(tmp, { force: true });
            removed.push(tmp);
          }
        }
        await fs.rm(file, { force: true });
      } catch {
        // unreadable or removed meanwhile: the next start tries again
      }
    }
    return removed;
  }

  protected override get listsLinks(): boolean {
    return true;
  }

  protected override linkError(bucket: string, what: string, link: string): StorageError {
    const shown = displayPath({ bucket, key: link }, this.platform);
    return new StorageError({
      status: 403,
      code: 'SymbolicLinkRefused',
      message:
        `${what} goes through the symbolic link "${shown}"; Ferry shows links on this computer but does ` +
        'not follow them: open the link to go to its target, and copy from there',
    });
  }

  /** Whose path a person would recognise in a message. */
  private shown(address: ComputerAddress): string {
    return displayPath(address, this.platform);
  }

  override async copyDomain(): Promise<CopyDomain> {
    return { kind: 'local', key: 'computer' };
  }

  override async listBuckets(): Promise<BucketInfo[]> {
    if (this.platform !== 'win32') return [{ name: POSIX_ROOT_BUCKET, region: 'local' }];
    const drives: BucketInfo[] = [];
    for (let c = 'A'.charCodeAt(0); c <= 'Z'.charCodeAt(0); c++) {
      const letter = String.fromCharCode(c);
      try {
        await fs.access(`${letter}:\\`, constants.F_OK);
        drives.push({ name: driveBucket(letter), region: 'local' });
      } catch {
        // no such drive (or an empty card reader)
      }
    }
    return drives;
  }

  override async createBucket(bucket: string): Promise<void> {
    throw new StorageError({
      status: 400,
      code: 'InvalidRequest',
      message: `"${bucket}" cannot be created: the buckets of this computer are its drives`,
    });
  }

  protected override async checkFolder(bucket: string, dir: string, dirKey: string): Promise<void> {
    let st;
    try {
      st = await fs.lstat(dir);
    } catch {
      return; // not there (yet): an empty listing, as a destination folder not created yet lists
    }
    if (!st.isDirectory()) {
      throw new StorageError({
        status: 400,
        code: 'NotAFolder',
        message: `"${this.shown({ bucket, key: dirKey.replace(/\/$/, '') })}" is a file, not a folder`,
      });
    }
  }

  protected override async linkEntryFor(file: string, key: string): Promise<ObjectEntry | undefined> {
    let own;
    let target: string;
    try {
      own = await fs.lstat(file);
      target = await fs.readlink(file);
    } catch {
      return undefined; // removed since the folder was read
    }
    let targetKind: 'file' | 'folder' | 'missing' | 'other' = 'missing';
    let size = 0;
    let resolved: { bucket: string; key: string } | undefined;
    try {
      const st = await fs.stat(file);
      targetKind = st.isDirectory() ? 'folder' : st.isFile() ? 'file' : 'other';
      if (st.isFile()) size = st.size;
      resolved = addressOfPath(await fs.realpath(file), this.platform, st.isDirectory());
    } catch {
      // a broken link (or a loop of links): shown, with nothing to open
    }
    return {
      key,
      size,
      // Not an object's content tag: a link is never copied, so this only has to tell links apart.
      etag: createHash('md5').update(`link:${target}`).digest('hex'),
      lastModified: own.mtime.toISOString(),
      storageClass: 'STANDARD',
      link: { target, targetKind, resolved },
    };
  }

  /** The last file of a folder on a person's disk leaves the folder where it was. */
  protected override async pruneEmptyParents(): Promise<void> {}

  async removeEmptyFolders(bucket: string, prefix: string): Promise<void> {
    if (!prefix.endsWith('/')) return;
    const top = this.fileOf(bucket, prefix);
    const prune = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) if (e.isDirectory()) await prune(path.join(dir, e.name)); // links are not entered
      try {
        await fs.rmdir(dir); // only if empty now
      } catch {
        // something is still there (a file that failed to delete, or a new one): keep the folder
      }
    };
    const st = await fs.lstat(top).catch(() => undefined);
    if (st?.isDirectory()) await prune(top);
  }
}
