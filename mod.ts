/**
 * Taiko's permissionless preconfirmation driver for Deno.
 *
 * @module
 */
export { DriverError, SyncError } from "./driver/mod.ts";
