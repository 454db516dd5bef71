/**
 * The package's names for hex-encoded values. They are viem's types, re-declared here with
 * documentation so that public signatures reference package-owned types (`deno doc --lint`
 * rejects public signatures that reference a dependency's types directly).
 *
 * @module
 */
import type { Address as ViemAddress, Hash as ViemHash, Hex as ViemHex } from "viem";

/** A 20-byte account or contract address: `0x` and 40 hex digits (viem's `Address`). */
export type Address = ViemAddress;

/** A 32-byte hash: `0x` and 64 hex digits (viem's `Hash`). */
export type Hash = ViemHash;

/** Bytes as `0x`-prefixed hex (viem's `Hex`). */
export type Hex = ViemHex;
