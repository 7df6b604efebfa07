import type { IncomingMessage } from 'node:http';

export class PayloadTooLargeError extends Error {
  constructor(limit: number) {
    super(`Request body is larger than ${limit} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}

export class MalformedJsonError extends Error {
  constructor() {
    super('Request body is not valid JSON');
    this.name = 'MalformedJsonError';
  }
}

/**
 * Reads the body up to `limit` bytes. A declared Content-Length over the limit is refused before reading; an
 * undeclared (chunked) body is cut off as soon as it passes the limit, so a huge upload costs us `limit` bytes.
 * With the stream's events, not `for await`: its async iterator costs a promise per chunk and more per request
 * than the small bodies GraphQL requests are (docs/decisions/0013-kingdoms-own-overhead.md).
 */
export const readBody = (request: IncomingMessage, limit: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new PayloadTooLargeError(limit));
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      request.off('data', onData);
      // Stop reading the rest; the caller answers 413 and closes the connection.
      request.pause();
      reject(new PayloadTooLargeError(limit));
    };
    let ended = false;
    request.on('data', onData);
    request.once('end', () => {
      ended = true;
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    });
    request.once('error', reject);
    // A client gone before the end of its body. (Every request closes: an Error, with its stack, only when needed.)
    request.once('close', () => ended || reject(new Error('the request closed before its body ended')));
  });

const isJson = (contentType: string | undefined): boolean =>
  /^application\/(graphql-response\+)?json\b/i.test(contentType ?? '');

/** Apollo wants JSON bodies parsed and anything else passed through for it to judge (CSRF rules, 415s). */
export const parseBody = (raw: string, contentType: string | undefined): unknown => {
  if (!isJson(contentType)) return raw;
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new MalformedJsonError();
  }
};
