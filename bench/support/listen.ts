import type { Server } from 'node:http';

/**
 * How every comparison server of the benchmark listens: on 127.0.0.1, with the Kingdom server's keep-alive default
 * (HTTP_KEEP_ALIVE_TIMEOUT_MS), so connection reuse is the same on every side, and stopping on SIGTERM or SIGINT
 * (after `beforeExit`, e.g. stopping Apollo).
 */
export const listenUntilSignalled = (
  server: Server,
  port: number,
  beforeExit: () => Promise<void> = async () => undefined,
): void => {
  server.keepAliveTimeout = 5000;
  server.listen(port, '127.0.0.1');
  const stop = () => {
    server.close(() => void beforeExit().then(() => process.exit(0)));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
};
