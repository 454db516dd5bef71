/**
 * Checks of listen and advertised addresses (lesson P2P-9): an advertised address must be one a
 * remote peer can dial, so unspecified, multicast and broadcast IPs are refused at start-up.
 *
 * @module
 */
import { isIPv4, isIPv6 } from "node:net";
import { type Multiaddr, multiaddr } from "@multiformats/multiaddr";

/**
 * Parses a TCP multiaddr (`/ip4/<ip>/tcp/<port>` or `/ip6/...`).
 *
 * @param text The multiaddr.
 * @param label What the address is, for the error message.
 * @returns The multiaddr.
 * @throws {TypeError} It does not parse or is not an IP + TCP address.
 */
export function parseTcpMultiaddr(text: string, label: string): Multiaddr {
  let address: Multiaddr;
  try {
    address = multiaddr(text);
  } catch (cause) {
    throw new TypeError(`Cannot use ${label} "${text}": not a valid multiaddr`, { cause });
  }
  const [ip, tcp] = address.getComponents();
  if ((ip?.name !== "ip4" && ip?.name !== "ip6") || tcp?.name !== "tcp") {
    throw new TypeError(
      `Cannot use ${label} "${text}": expected /ip4/<ip>/tcp/<port> or /ip6/<ip>/tcp/<port>`,
    );
  }
  return address;
}

/**
 * Checks that an advertised address is dialable by others.
 *
 * @param text The multiaddr to advertise.
 * @returns The multiaddr.
 * @throws {TypeError} It is not an IP + TCP multiaddr, or its IP is unspecified, multicast or broadcast.
 * @example
 * ```ts
 * import { checkAdvertiseAddress } from "./addresses.ts";
 * checkAdvertiseAddress("/ip4/203.0.113.7/tcp/9000");
 * ```
 */
export function checkAdvertiseAddress(text: string): Multiaddr {
  const address = parseTcpMultiaddr(text, "advertise address");
  const ip = address.getComponents()[0]?.value ?? "";
  const reason = undialableReason(ip);
  if (reason !== null) {
    throw new TypeError(
      `Cannot advertise "${text}": ${ip} is ${reason}, advertise an address peers can dial`,
    );
  }
  return address;
}

function undialableReason(ip: string): string | null {
  if (isIPv4(ip)) {
    const first = Number(ip.split(".")[0]);
    if (ip === "0.0.0.0") return "unspecified";
    if (ip === "255.255.255.255") return "the broadcast address";
    if (first >= 224 && first <= 239) return "multicast";
    return null;
  }
  if (isIPv6(ip)) {
    const normalized = new URL(`http://[${ip}]`).hostname;
    if (normalized === "[::]") return "unspecified";
    if (normalized.startsWith("[ff")) return "multicast";
    return null;
  }
  return "not an IP address";
}
