/**
 * What was dropped from the desktop, folders included: a dropped folder is walked through the File
 * and Directory Entries API, and each file keeps its path inside it, so "photos/2025/a.jpg" lands
 * under the drop target as `prefix + "photos/2025/a.jpg"`.
 */

/** A file to upload and its path below the drop target (its name, or its path inside a dropped folder). */
export interface DroppedFile {
  file: File;
  path: string;
}

/** The parts of FileSystemEntry the walk uses, structurally, so a test can hand it a fake tree. */
export interface DropEntry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
}
interface FileDropEntry extends DropEntry {
  file(ok: (file: File) => void, fail: (err: unknown) => void): void;
}
interface FolderDropEntry extends DropEntry {
  createReader(): { readEntries(ok: (entries: DropEntry[]) => void, fail: (err: unknown) => void): void };
}

const fileOf = (entry: FileDropEntry) => new Promise<File>((ok, fail) => entry.file(ok, fail));

/** Every entry of a folder: a reader hands them out in batches (100 at a time in Chromium) until an empty one. */
async function childrenOf(entry: FolderDropEntry): Promise<DropEntry[]> {
  const reader = entry.createReader();
  const all: DropEntry[] = [];
  for (;;) {
    const batch = await new Promise<DropEntry[]>((ok, fail) => reader.readEntries(ok, fail));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/**
 * The files below the dropped entries, depth first, in name order inside each folder. Entries must
 * be taken from the drop event synchronously (`item.webkitGetAsEntry()`); reading them may take longer.
 * A file that cannot be read (removed since, no permission) is named in `unreadable`, not skipped silently.
 */
export async function collectDropped(
  roots: DropEntry[],
): Promise<{ files: DroppedFile[]; unreadable: string[] }> {
  const files: DroppedFile[] = [];
  const unreadable: string[] = [];
  const walk = async (entry: DropEntry, parent: string): Promise<void> => {
    const path = parent + entry.name;
    if (entry.isDirectory) {
      let children: DropEntry[];
      try {
        children = await childrenOf(entry as FolderDropEntry);
      } catch {
        unreadable.push(`${path}/`);
        return;
      }
      children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const child of children) await walk(child, `${path}/`);
      return;
    }
    if (!entry.isFile) return;
    try {
      files.push({ file: await fileOf(entry as FileDropEntry), path });
    } catch {
      unreadable.push(path);
    }
  };
  for (const root of roots) await walk(root, '');
  return { files, unreadable };
}
