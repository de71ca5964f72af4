/**
 * A log line's time as people read it: local time (the file keeps UTC ISO), to the millisecond, always
 * the same width so the column lines up.
 */
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatLogTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}
