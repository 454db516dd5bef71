/**
 * Command-line entry point of the preconfirmation driver (flags are added by the foundation work).
 *
 * @module
 */
if (import.meta.main) {
  Deno.exit(0);
}
