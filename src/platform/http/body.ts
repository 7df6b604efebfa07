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
 */
export const readBody = async (request: IncomingMessage, limit: number): Promise<string> => {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new PayloadTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new PayloadTooLargeError(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
};

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
