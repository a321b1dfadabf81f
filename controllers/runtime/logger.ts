/**
 * Leveled, structured logging on pino. Two formats: `text` (the historical line
 * `2026-12-03T10:00:00.000Z INFO message {"field":1}`, which the live view and tests read) and `json`
 * (one pino object per line: level, time, msg, fields). Fields whose name says secret (token,
 * password, authorization, ...) are redacted; callers log names, never values, anyway.
 */
import { createRequire } from 'node:module';
import type { Logger as PinoLogger } from 'pino';
import { reconcileFields } from './reconcile-context.js';

/**
 * pino (~30 files, ~17 ms) is required when the first StderrLogger is built, not when this module is
 * imported: every command imports the level names and the silent logger, only `run` logs (issue #16).
 */
const pino = (): typeof import('pino') => createRequire(import.meta.url)('pino');

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFormat = 'text' | 'json';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds these fields to every line (controller, key, reconcileID). */
  child?(bindings: Record<string, unknown>): Logger;
  /** Whether a line of this level would be written (skip building costly fields). */
  enabled?(level: LogLevel): boolean;
}

/** Field names that are never written with their value, at the top level or one object down. */
const SECRET_FIELDS = ['token', 'password', 'secret', 'authorization', 'secretAccessKey', 'sessionToken', 'bearerToken', 'clientKey', 'client-key-data'];
export const REDACT_PATHS = SECRET_FIELDS.flatMap((f) => [`["${f}"]`, `*["${f}"]`]);
export const REDACTED = '[REDACTED]';

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  now?: () => number;
}

export class StderrLogger implements Logger {
  /** Where lines go instead of stderr (the live view keeps them in its recent list, so a redraw does not wipe them). */
  sink: ((line: string) => void) | undefined;
  readonly format: LogFormat;
  private readonly pino: PinoLogger;

  constructor(level?: LogLevel | LoggerOptions, now: () => number = Date.now) {
    const opts: LoggerOptions = typeof level === 'object' ? level : { level, now };
    this.format = opts.format ?? 'text';
    const clock = opts.now ?? now;
    const lvl = opts.level ?? ((process.env.ECSPLANE_LOG_LEVEL as LogLevel) || 'info');
    if (!LOG_LEVELS.includes(lvl)) throw new Error(`log level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(String(lvl).slice(0, 40))}`);
    if (!LOG_FORMATS.includes(this.format)) throw new Error(`log format must be one of ${LOG_FORMATS.join(', ')}, got ${JSON.stringify(String(this.format).slice(0, 40))}`);
    const text = this.format === 'text';
    this.pino = pino()(
      {
        level: lvl,
        base: null,
        timestamp: () => `,"time":"${new Date(clock()).toISOString()}"`,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: REDACT_PATHS, censor: REDACTED },
        // Lines logged inside a reconcile carry its controller, key and reconcileID.
        mixin: () => reconcileFields(),
      },
      { write: (chunk: string) => this.emit(text ? textLine(chunk) : chunk.replace(/\n$/, '')) },
    );
  }

  debug(msg: string, fields?: Record<string, unknown>): void {
    fields ? this.pino.debug(fields, msg) : this.pino.debug(msg);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    fields ? this.pino.info(fields, msg) : this.pino.info(msg);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    fields ? this.pino.warn(fields, msg) : this.pino.warn(msg);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    fields ? this.pino.error(fields, msg) : this.pino.error(msg);
  }
  enabled(level: LogLevel): boolean {
    return level !== 'silent' && this.pino.isLevelEnabled(level);
  }
  child(bindings: Record<string, unknown>): Logger {
    return wrap(this.pino.child(bindings));
  }

  private emit(line: string): void {
    if (this.sink) this.sink(line);
    else process.stderr.write(line + '\n');
  }
}

/** `TIME LEVEL msg {"other":"fields"}` from pino's JSON line (the format ecsplane has always written). */
function textLine(chunk: string): string {
  const { time, level, msg, ...rest } = JSON.parse(chunk) as Record<string, unknown>;
  const extra = Object.keys(rest).length ? ' ' + JSON.stringify(rest) : '';
  return `${time} ${String(level).toUpperCase()} ${msg ?? ''}${extra}`;
}

function wrap(p: PinoLogger): Logger {
  return {
    debug: (msg, fields) => (fields ? p.debug(fields, msg) : p.debug(msg)),
    info: (msg, fields) => (fields ? p.info(fields, msg) : p.info(msg)),
    warn: (msg, fields) => (fields ? p.warn(fields, msg) : p.warn(msg)),
    error: (msg, fields) => (fields ? p.error(fields, msg) : p.error(msg)),
    enabled: (level) => level !== 'silent' && p.isLevelEnabled(level),
    child: (bindings) => wrap(p.child(bindings)),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, enabled: () => false };
