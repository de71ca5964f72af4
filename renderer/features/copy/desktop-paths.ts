/**
 * Files dropped from the desktop, in the Electron app: each has a path on this computer
 * (`pathForFile`, from the preload), so the drop becomes a copy task from This computer — the same
 * task as dragging the file from a pane of this computer, which resumes after a restart. The web
 * host cannot see paths and keeps streaming the bytes through the page (uploads.ts).
 */
import type { CopySource, FerryApi } from '../../../preload/shared/contract';
import type { CopyItems } from '../../stores/ui';
import type { Side } from '../../stores/browser';

const COMPUTER = 'computer';

/**
 * The paths of the dropped files when every one has a path (the Electron app), else null: then the
 * drop is uploaded through the page. A drop mixing files with and without paths (a file dragged
 * from a browser inside the app has none) goes the page's way as a whole, never half and half.
 */
export function droppedPaths(
  files: readonly unknown[],
  api: Pick<FerryApi, 'pathForFile'> | undefined,
): string[] | null {
  const pathFor = api?.pathForFile;
  if (!pathFor || files.length === 0) return null;
  const paths = files.map((f) => {
    try {
      return pathFor(f);
    } catch {
      return '';
    }
  });
  return paths.every((p) => p !== '') ? paths : null;
}

export interface ResolvedPath {
  path: string;
  bucket?: string;
  key?: string;
  isFolder?: boolean;
  error?: string;
}

/** The copy of the paths the main process could address; the others are named with the reason. */
export function copyItemsFromPaths(
  resolved: readonly ResolvedPath[],
  side: Side,
): { items: CopyItems | null; failed: string[] } {
  const sources: CopySource[] = [];
  const names: string[] = [];
  const failed: string[] = [];
  for (const r of resolved) {
    if (!r.bucket || !r.key || r.error) {
      failed.push(`${r.path} (${r.error ?? 'unknown'})`);
      continue;
    }
    sources.push({ profileId: COMPUTER, bucket: r.bucket, key: r.key, isFolder: Boolean(r.isFolder) });
    const name = r.key.replace(/\/$/, '').split('/').at(-1) ?? r.key;
    names.push(r.isFolder ? `${name}/` : name);
  }
  return { items: sources.length ? { from: side, sources, names } : null, failed };
}
