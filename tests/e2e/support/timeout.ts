import { jest } from '@jest/globals';

/**
 * An e2e test drives real servers and processes over HTTP, often hundreds of requests in one test (a Relay
 * conformance walk, an attack battery). Jest's 5 s default is a timeout for unit tests: on a busy 2-core CI runner
 * such a test takes longer without anything being wrong. A hang still fails, after 30 s; a file that knows it needs
 * more sets its own `jest.setTimeout`.
 */
jest.setTimeout(30_000);
