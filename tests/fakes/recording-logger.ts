import type { Logger } from '../../src/core/ports.ts';

export type LogLevel = keyof Logger;
export type LogEntry = { readonly level: LogLevel; readonly object: object; readonly message: string };

/** The core Logger port, remembering every call so tests can assert on what was logged. */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];

  error(object: object, message: string): void {
    this.entries.push({ level: 'error', object, message });
  }

  warn(object: object, message: string): void {
    this.entries.push({ level: 'warn', object, message });
  }

  info(object: object, message: string): void {
    this.entries.push({ level: 'info', object, message });
  }

  debug(object: object, message: string): void {
    this.entries.push({ level: 'debug', object, message });
  }

  at(level: LogLevel): LogEntry[] {
    return this.entries.filter((entry) => entry.level === level);
  }
}
