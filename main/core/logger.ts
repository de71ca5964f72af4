/**
 * Ferry's log: a rotating file in the data folder, an in-memory tail for the log view, and a
 * `log.line` event per line. Every field passes through `redact`, so a secret that reaches a message
 * by accident is not written, and through `escapeLogField`, so a key or a server's text holding a
 * line break or a terminal escape cannot forge a line.
 */
import { appendFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LogLine } from '../../preload/shared/contract';
import type { EventBus } from './events';
import { escapeLogField } from './log-escape';

export interface LoggerOptions {
  dir: string;
  bus?: EventBus;
  /** Rotate when the current file passes this many bytes. */
  maxBytes?: number;
  /** How many rotated files to keep (ferry.log.1 … ferry.log.N). */
  keep?: number;
  echo?: boolean;
  /** Where FERRY_SECRET_ACCESS_KEY / FERRY_SESSION_TOKEN come from (scripts' keys): never logged either. */
  env?: NodeJS.ProcessEnv;
}

export class Logger {
  private readonly file: string;
  private readonly tail: LogLine[] = [];
  private readonly secrets = new Set<string>();
  private readonly maxBytes: number;
  private readonly keep: number;
  private written = 0;

  constructor(private readonly options: LoggerOptions) {
    this.file = path.join(options.dir, 'ferry.log');
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.keep = options.keep ?? 3;
    this.written = existsSync(this.file) ? statSync(this.file).size : 0;
    const env = options.env ?? process.env;
    this.addSecret(env.FERRY_SECRET_ACCESS_KEY);
    this.addSecret(env.FERRY_SESSION_TOKEN);
  }

  get path(): string {
    return this.file;
  }

  /**
   * Registers a value that must never appear in a log line (access keys, tokens) — as typed, and
   * percent-encoded as it would appear in a URL (an STS token in a presigned link, say).
   */
  addSecret(value: string | undefined): void {
    if (!value || value.length < 4) return;
    this.secrets.add(value);
    this.secrets.add(encodeURIComponent(value));
  }

  debug(message: string, extra?: Partial<LogLine>): void {
    this.write('debug', message, extra);
  }
  info(message: string, extra?: Partial<LogLine>): void {
    this.write('info', message, extra);
  }
  warn(message: string, extra?: Partial<LogLine>): void {
    this.write('warn', message, extra);
  }
  error(message: string, extra?: Partial<LogLine>): void {
    this.write('error', message, extra);
  }

  recent(limit: number): LogLine[] {
    return this.tail.slice(-limit);
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length))
      out = out.split(secret).join('***');
    return out;
  }

  /** Every field of a line, redacted and escaped: one call to the log is one line in the file. */
  private field(text: string): string {
    return escapeLogField(this.redact(text));
  }

  private write(level: LogLine['level'], message: string, extra?: Partial<LogLine>): void {
    const line: LogLine = { time: new Date().toISOString(), level, message: this.field(message) };
    if (extra?.requestId) line.requestId = this.field(extra.requestId);
    if (extra?.taskId) line.taskId = this.field(extra.taskId);
    this.tail.push(line);
    if (this.tail.length > 5000) this.tail.splice(0, this.tail.length - 5000);
    const text =
      `${line.time} ${level.toUpperCase().padEnd(5)} ${line.message}` +
      (line.taskId ? ` task=${line.taskId}` : '') +
      (line.requestId ? ` request-id=${line.requestId}` : '') +
      '\n';
    try {
      this.rotateIfNeeded(Buffer.byteLength(text));
      appendFileSync(this.file, text, { mode: 0o600 });
      this.written += Buffer.byteLength(text);
    } catch {
      // A full or read-only disk must not take the app down with it; the in-memory tail still works.
    }
    if (this.options.echo) process.stderr.write(text);
    this.options.bus?.emit('log.line', line);
  }

  private rotateIfNeeded(incoming: number): void {
    if (this.written + incoming <= this.maxBytes) return;
    rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      if (existsSync(`${this.file}.${i}`)) renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    }
    if (existsSync(this.file)) renameSync(this.file, `${this.file}.1`);
    this.written = 0;
  }
}
