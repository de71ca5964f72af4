/**
 * Which file names a platform can hold, and which two names it takes for the same file. The Local
 * provider writes a key's segments as file names, so a name Windows cannot create (`CON`, `a:b`,
 * `name.`) must be refused before any byte is copied, and a key that the file system would fold onto
 * another one (`Photo.jpg` and `photo.jpg` on Windows or macOS, `é` composed and decomposed on macOS)
 * must be an error — never a silent overwrite of the other object.
 *
 * Ferry refuses rather than maps: a mapped name (`CON` → `CON_`) would come back from a listing as
 * another key, and a copy must land under the name it was given or not at all. Pure, with the
 * platform a parameter, so Linux tests cover the Windows and macOS rules.
 */

export type NamePlatform = NodeJS.Platform;

// Device names Windows resolves in every folder, with any extension (`con.txt` is the console too).
// COM/LPT with superscript digits are devices as well; CONIN$/CONOUT$ are the console's two ends.
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³]|conin\$|conout\$)$/i;
// eslint-disable-next-line no-control-regex
const WINDOWS_FORBIDDEN = /[<>:"|?*\\\u0000-\u001f]/;

/** Why `segment` (one path segment of a key, never empty) cannot be a file name there, or undefined. */
export function segmentProblem(segment: string, platform: NamePlatform): string | undefined {
  if (platform !== 'win32') return undefined;
  const forbidden = WINDOWS_FORBIDDEN.exec(segment);
  if (forbidden) {
    const c = forbidden[0];
    const shown =
      c < ' ' ? `the control character U+${c.charCodeAt(0).toString(16).padStart(4, '0')}` : `"${c}"`;
    return `Windows does not allow ${shown} in a file name`;
  }
  if (/[. ]$/.test(segment))
    return `Windows drops a trailing dot or space from "${segment}", so it would be stored as another name`;
  const stem = segment.split('.')[0]!.trimEnd();
  if (WINDOWS_DEVICE.test(stem)) return `"${segment}" is a device name on Windows (${stem.toUpperCase()})`;
  return undefined;
}

/** Whether the platform's usual file systems treat two different names as one file. */
export function foldsNames(platform: NamePlatform): boolean {
  return platform === 'win32' || platform === 'darwin';
}

/**
 * The name the file system compares: NTFS ignores case, APFS and HFS+ ignore case and Unicode
 * normalisation. Linux file systems compare bytes.
 */
export function nameIdentity(name: string, platform: NamePlatform): string {
  if (platform === 'win32') return name.toUpperCase();
  if (platform === 'darwin') return name.normalize('NFD').toLowerCase().normalize('NFD');
  return name;
}

/** The existing name in a folder that `name` would land on although it is another key, if any. */
export function collidingName(
  existing: Iterable<string>,
  name: string,
  platform: NamePlatform,
): string | undefined {
  if (!foldsNames(platform)) return undefined;
  const identity = nameIdentity(name, platform);
  for (const other of existing)
    if (other !== name && nameIdentity(other, platform) === identity) return other;
  return undefined;
}
