/**
 * Parsing an address a user typed (a flag, an env var, a config field), shared by the driver's and
 * the runner's config validation so both refuse the same inputs with the same words.
 *
 * @module
 */
import { type Address, getAddress, isAddress } from "viem";

/**
 * Parses a 20-byte hex address; mixed case must carry a valid EIP-55 checksum.
 *
 * @param text The address as typed.
 * @param label What to call it in the error (a flag or a field name).
 * @returns The checksummed address.
 * @throws {TypeError} When the text is not an address or its checksum is wrong.
 */
export function parseAddress(text: string, label: string): Address {
  if (!isAddress(text, { strict: false })) {
    throw new TypeError(
      `Cannot use ${label} "${text}": expected a 20-byte hex address (0x followed by 40 hex digits)`,
    );
  }
  if (!isAddress(text, { strict: true })) {
    throw new TypeError(`Cannot use ${label} "${text}": the mixed-case checksum is wrong, check the address`);
  }
  return getAddress(text);
}
