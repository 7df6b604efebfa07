import type { IncomingMessage } from 'node:http';

/** IPv4 clients of a dual-stack socket show up as `::ffff:1.2.3.4`; one client should have one address. */
const unmapped = (address: string): string =>
  address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;

/**
 * The address a request came from, for rate limiting and logs.
 *
 * Without `trustProxy` it is the socket's peer: X-Forwarded-For is ignored, since any client can send one.
 * With `trustProxy` (the API only reachable through our reverse proxy) it is the LAST X-Forwarded-For hop: the one
 * our proxy appended, i.e. the address that connected to the proxy. Earlier hops were written by the client or by
 * proxies we do not run, so taking the first one would let a caller pick its own rate-limit bucket. Behind several
 * proxies of ours this is the inner one's peer, which is the conservative answer (one bucket too many, never a
 * forged one). A missing or empty header falls back to the socket.
 */
export const clientAddress = (request: IncomingMessage, trustProxy: boolean): string => {
  const socketAddress = unmapped(request.socket.remoteAddress ?? 'unknown');
  if (!trustProxy) return socketAddress;
  const header = request.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  const last = hops.at(-1);
  return last ? unmapped(last) : socketAddress;
};
