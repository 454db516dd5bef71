/**
 * A yield to the event loop that costs one message, not a timer: Deno's zero-delay `setTimeout`
 * fires about 2 ms later on this machine, while a `MessageChannel` message is delivered in tens of
 * microseconds, after pending I/O (a request just handed to `fetch` leaves) had its turn.
 *
 * @module
 */

/**
 * Resolves in a later task of the event loop.
 *
 * @returns When the event loop has gone around once.
 * @example
 * ```ts ignore
 * const answer = fetch(url, init); // queued, not yet written
 * await nextMacrotask(); // the request leaves
 * work(); // runs while the server answers
 * ```
 */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      port2.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
