import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const ALLOWED_HEADERS = 'content-type, authorization, apollo-require-preflight, x-request-id';
/** How long a browser may cache a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** Adds `value` to a response's Vary header without dropping what is there. */
export const appendVary = (response: ServerResponse, value: string): void => {
  const current = response.getHeader('vary');
  const values = (Array.isArray(current) ? current.join(',') : String(current ?? ''))
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (values.some((item) => item === '*' || item.toLowerCase() === value.toLowerCase())) return;
  response.setHeader('vary', [...values, value].join(', '));
};

export type Cors = {
  /**
   * Sets the CORS headers a request's Origin earns, and answers it when it is a preflight from an allowed origin
   * (204). Returns true when the response has been sent. With no origins configured it does nothing at all:
   * no headers, and OPTIONS goes on to be answered like any other unknown method.
   */
  handle(request: IncomingMessage, response: ServerResponse): boolean;
};

/** Exact-origin allow list (CORS_ORIGINS); never `*`, never reflecting an origin that is not on the list. */
export const createCors = (origins: readonly string[]): Cors => {
  const allowed = new Set(origins.map((origin) => new URL(origin).origin));
  return {
    handle: (request, response) => {
      if (allowed.size === 0) return false;
      // The answer depends on Origin whichever way it goes, so caches must key on it.
      appendVary(response, 'Origin');
      const origin = request.headers.origin;
      if (origin === undefined || !allowed.has(origin)) return false;
      response.setHeader('access-control-allow-origin', origin);
      response.setHeader('access-control-expose-headers', 'x-request-id');
      const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
      if (!preflight) return false;
      response.setHeader('access-control-allow-methods', ALLOWED_METHODS);
      response.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
      response.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
      response.writeHead(204, { 'content-length': '0' });
      response.end();
      return true;
    },
  };
};
