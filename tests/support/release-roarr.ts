/**
 * Runs after every test file (jest `setupFilesAfterEnv`). slonik logs through roarr, which on loading adds an
 * 'error' listener to the process's stdout and keeps the way to remove it (`teardown`) in `globalThis.ROARR`. Jest
 * gives each test file a fresh global but the same stdout, so every test file that loaded slonik left one listener
 * behind until Node warned about a leak (MaxListenersExceededWarning). Releasing it when the file is done keeps the
 * count at one.
 */
type RoarrState = { readonly teardown?: () => void };

afterAll(() => {
  (globalThis as { ROARR?: RoarrState }).ROARR?.teardown?.();
});
