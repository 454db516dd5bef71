/**
 * A TCP proxy on 127.0.0.1 for tests that need a real connection drop: `dropAll()` closes every
 * proxied connection (the client sees its WebSocket close), `refuse(true)` closes new ones at once.
 *
 * @module
 */

interface Pair {
  readonly client: Deno.TcpConn;
  readonly upstream: Deno.TcpConn;
}

/** A running proxy to one target port. */
export class TcpProxy {
  readonly port: number;
  readonly #listener: Deno.TcpListener;
  readonly #targetPort: number;
  readonly #pairs = new Set<Pair>();
  readonly #accepting: Promise<void>;
  #refusing = false;
  #drops = 0;

  private constructor(listener: Deno.TcpListener, targetPort: number) {
    this.#listener = listener;
    this.#targetPort = targetPort;
    this.port = listener.addr.port;
    this.#accepting = this.#acceptLoop();
  }

  /**
   * Starts a proxy to `127.0.0.1:targetPort` on an OS-assigned port.
   *
   * @param targetPort The port to forward to.
   * @returns The running proxy.
   */
  static start(targetPort: number): TcpProxy {
    return new TcpProxy(Deno.listen({ hostname: "127.0.0.1", port: 0 }), targetPort);
  }

  /** Connections currently proxied. */
  get connections(): number {
    return this.#pairs.size;
  }

  /** How many times `dropAll` closed at least one connection. */
  get drops(): number {
    return this.#drops;
  }

  /** Closes every proxied connection. */
  dropAll(): void {
    if (this.#pairs.size > 0) this.#drops++;
    for (const pair of [...this.#pairs]) this.#close(pair);
  }

  /** While true, new connections are closed as soon as they are accepted. */
  refuse(refusing: boolean): void {
    this.#refusing = refusing;
  }

  /** Stops listening and closes every connection. */
  async stop(): Promise<void> {
    this.#listener.close();
    this.dropAll();
    await this.#accepting;
  }

  async #acceptLoop(): Promise<void> {
    for (;;) {
      let client: Deno.TcpConn;
      try {
        client = await this.#listener.accept();
      } catch {
        return;
      }
      if (this.#refusing) {
        client.close();
        continue;
      }
      let upstream: Deno.TcpConn;
      try {
        upstream = await Deno.connect({ hostname: "127.0.0.1", port: this.#targetPort });
      } catch {
        client.close();
        continue;
      }
      const pair = { client, upstream };
      this.#pairs.add(pair);
      const done = () => this.#close(pair);
      client.readable.pipeTo(upstream.writable).catch(() => {}).finally(done);
      upstream.readable.pipeTo(client.writable).catch(() => {}).finally(done);
    }
  }

  #close(pair: Pair): void {
    if (!this.#pairs.delete(pair)) return;
    for (const conn of [pair.client, pair.upstream]) {
      try {
        conn.close();
      } catch {
        // Already closed by the other direction.
      }
    }
  }
}
