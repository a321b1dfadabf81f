/** A small leveled logger; secrets never reach it (callers log names, never values). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export class StderrLogger implements Logger {
  /** Where lines go instead of stderr (the live view keeps them in its recent list, so a redraw does not wipe them). */
  sink: ((line: string) => void) | undefined;

  constructor(
    private readonly level: LogLevel = (process.env.ECSPLANE_LOG_LEVEL as LogLevel) || 'info',
    private readonly now: () => number = Date.now,
  ) {}

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.write('error', msg, fields);
  }

  private write(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const extra = fields ? ' ' + JSON.stringify(fields) : '';
    const line = `${new Date(this.now()).toISOString()} ${level.toUpperCase()} ${msg}${extra}`;
    if (this.sink) this.sink(line);
    else process.stderr.write(line + '\n');
  }
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
