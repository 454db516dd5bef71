/**
 * Side-effect module for the CLI only: gives `AbortSignal.timeout()` Node's semantics, where the
 * pending timer never keeps the process alive. libp2p's ping handler arms a 10 s timeout per
 * inbound ping; under Deno's own implementation that timer holds the process open after libp2p
 * stops (spec/deno-notes.md section 2).
 *
 * Import it before anything creates a libp2p node. Tests must not import it: every timeout becomes
 * a real timer, which the test sanitizers would count.
 *
 * @module
 */

const TIMEOUT_ERROR_MESSAGE = "The operation timed out.";

AbortSignal.timeout = function timeout(milliseconds: number): AbortSignal {
  const controller = new AbortController();
  const id = setTimeout(
    () => controller.abort(new DOMException(TIMEOUT_ERROR_MESSAGE, "TimeoutError")),
    milliseconds,
  );
  // @types/node (pulled in by the npm graph) types the id as a Timeout object; Deno's is a number.
  Deno.unrefTimer(id as unknown as number);
  return controller.signal;
};
