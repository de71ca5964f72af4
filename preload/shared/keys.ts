/**
 * Key naming both sides share (the renderer and the main process import it): where a copied object
 * lands, a key's name and folder, keep-both names. Pure string functions, no Node or DOM APIs.
 *
 * Where a copied object lands. A folder keeps its own name under the destination prefix, like a
 * file manager: `photos/a/b.jpg` from folder `photos/` into `backup/` → `backup/photos/a/b.jpg`;
 * a single object `x/y.txt` into `backup/` → `backup/y.txt`.
 */

/** The destination prefix as a folder: empty (bucket root) or ending in `/`. */
export function asFolderPrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** The last path segment of a key, keeping a folder's trailing `/`. */
export function baseName(key: string): string {
  const trimmed = key.endsWith('/') ? key.slice(0, -1) : key;
  const name = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return key.endsWith('/') ? `${name}/` : name;
}

/** The folder a key is in (empty at the bucket root), ending in `/`; a folder's own trailing `/` is ignored. */
export function parentOf(key: string): string {
  const trimmed = key.endsWith('/') ? key.slice(0, -1) : key;
  return trimmed.slice(0, trimmed.lastIndexOf('/') + 1);
}

/** Destination key of a single object copied into `destPrefix`. */
export function objectDestinationKey(sourceKey: string, destPrefix: string): string {
  return asFolderPrefix(destPrefix) + baseName(sourceKey);
}

/** Destination prefix a folder copy writes under: the folder's own name inside `destPrefix`. */
export function folderDestinationPrefix(sourcePrefix: string, destPrefix: string): string {
  return asFolderPrefix(destPrefix) + baseName(asFolderPrefix(sourcePrefix));
}

/** Destination key of `key`, found under folder `sourcePrefix`, written under `destFolderPrefix`. */
export function keyInFolder(key: string, sourcePrefix: string, destFolderPrefix: string): string {
  if (!key.startsWith(sourcePrefix)) throw new RangeError(`"${key}" is not inside "${sourcePrefix}"`);
  return destFolderPrefix + key.slice(sourcePrefix.length);
}

/**
 * The keep-both name number `n`: `dir/name (n).ext`. The extension is the part after the last dot of
 * the last segment, unless that dot starts the name (`.env` has no extension).
 */
export function keepBothKey(key: string, n: number): string {
  const folder = key.endsWith('/');
  const body = folder ? key.slice(0, -1) : key;
  const slash = body.lastIndexOf('/');
  const dir = body.slice(0, slash + 1);
  const name = body.slice(slash + 1);
  const dot = folder ? -1 : name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  return `${dir}${stem} (${n})${ext}${folder ? '/' : ''}`;
}
