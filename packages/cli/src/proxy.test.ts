import { createServer, request as httpRequest, type Server } from "node:http";
import {
  type AddressInfo,
  createServer as createTcpServer,
  connect as netConnect,
  type Socket,
} from "node:net";
import { createProxy as createCliProxy } from "@tiklive/client";
import { TikLiveError } from "@tiklive/core";
import { startSimulator } from "@tiklive/simulator";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { memoryIo, stackTraceLine } from "./test-helpers.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

// A small HTTP proxy: CONNECT tunnels and absolute-form requests, noting what went through.
async function startProxy(): Promise<{ url: string; seen: string[]; auth: Set<string> }> {
  const seen: string[] = [];
  const auth = new Set<string>();
  const sockets = new Set<Socket>();
  const track = (sock: Socket) => {
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    sock.on("error", () => {});
  };
  const server: Server = createServer((req, res) => {
    auth.add(req.headers["proxy-authorization"] ?? "");
    seen.push(`GET ${new URL(req.url ?? "").pathname}`);
    const upstream = httpRequest(
      new URL(req.url ?? ""),
      { method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  server.on("connect", (req, client: Socket, head) => {
    auth.add(req.headers["proxy-authorization"] ?? "");
    const [host, port] = (req.url ?? "").split(":");
    const upstream = netConnect(Number(port), host ?? "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      // What the tunnel carries first says what it is: a WebSocket upgrade or plain requests.
      client.once("data", (chunk: Buffer) =>
        seen.push(
          /^upgrade: websocket/im.test(chunk.toString("latin1")) ? "CONNECT websocket" : "CONNECT http",
        ),
      );
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(client);
    track(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(async () => {
    for (const sock of sockets) sock.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url: `http://proxyuser:hunter2-secret@127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    auth,
  };
}

describe("--proxy", () => {
  it("sends the lookups, the sign request and the WebSocket through the proxy, and never prints its URL", async () => {
    await using sim = await startSimulator({ rate: 200, length: 40 });
    const proxy = await startProxy();
    const out = memoryIo();
    const code = await runCli(
      [
        "watch",
        "sim_streamer",
        "--json",
        "--proxy",
        proxy.url,
        "--sign-url",
        sim.signUrl,
        "--web-url",
        sim.webUrl,
      ],
      out.io,
    );
    expect(code).toBe(0);
    expect(out.events().some((e) => e.event === "streamEnd")).toBe(true);
    expect(proxy.seen).toContain("CONNECT websocket");
    expect(proxy.seen.filter((s) => s !== "CONNECT websocket").length).toBeGreaterThanOrEqual(1);
    expect([...proxy.auth]).toEqual([`Basic ${Buffer.from("proxyuser:hunter2-secret").toString("base64")}`]);
    expect(`${out.stdout()}${out.stderr()}`).not.toContain("hunter2");
  });

  it("a dead proxy (nothing listening) is named as what failed: network_error, exit 1, no sign server blamed", async () => {
    await using sim = await startSimulator({ rate: 200, length: 40 });
    // A port that was just free: nothing listens there.
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    for (const transport of ["auto", "poll"]) {
      const out = memoryIo();
      const code = await runCli(
        [
          "watch",
          "sim_streamer",
          "--json",
          "--transport",
          transport,
          "--proxy",
          `http://proxyuser:hunter2-secret@127.0.0.1:${port}`,
          "--sign-url",
          sim.signUrl,
          "--web-url",
          sim.webUrl,
        ],
        out.io,
      );
      expect(code).toBe(1);
      expect(out.stdout()).toBe("");
      const lines = out
        .stderr()
        .split("\n")
        .filter((l) => l !== "");
      expect(lines).toEqual([
        `tiklive: network_error: the proxy 127.0.0.1:${port} failed: connection refused (nothing listens on that port)`,
        "tiklive: check --proxy: is the proxy running, and are its host and port right?",
      ]);
      expect(out.stderr()).not.toMatch(/sign server|signer/);
      expect(out.stderr()).not.toContain("hunter2");
      expect(out.stderr()).not.toMatch(stackTraceLine);
    }
    // Nothing reached the sign server or TikTok's pages.
    expect(sim.signRequests()).toHaveLength(0);
  });

  it("a proxy that answers but will not tunnel (407, 502) is named too, with what to check", async () => {
    await using sim = await startSimulator({ rate: 200, length: 40 });
    for (const [status, reason, why, hint] of [
      [
        407,
        "Proxy Authentication Required",
        "it asks for credentials (HTTP 407 Proxy Authentication Required)",
        "its user name and password",
      ],
      [
        502,
        "Bad Gateway",
        "it answered HTTP 502 instead of opening a tunnel",
        "whether the proxy lets you reach",
      ],
    ] as const) {
      const server = createServer((_req, res) => res.writeHead(status, reason).end());
      server.on("connect", (_req, socket: Socket) => {
        socket.on("error", () => {});
        socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-length: 0\r\n\r\n`);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const port = (server.address() as AddressInfo).port;
      const out = memoryIo();
      const code = await runCli(
        [
          "watch",
          "sim_streamer",
          "--proxy",
          `http://127.0.0.1:${port}`,
          ...["--sign-url", sim.signUrl, "--web-url", sim.webUrl],
        ],
        out.io,
      );
      expect(code).toBe(1);
      const lines = out
        .stderr()
        .split("\n")
        .filter((l) => l !== "");
      expect(lines[0]).toBe(`tiklive: network_error: the proxy 127.0.0.1:${port} failed: ${why}`);
      expect(lines[1]).toContain(`tiklive: check --proxy: ${hint}`);
      expect(lines).toHaveLength(2);
    }
  });

  it("rejects what is not a proxy URL without showing it", () => {
    expect(() => createCliProxy("nope hunter2")).toThrow(TikLiveError);
    try {
      createCliProxy("ftp://u:hunter2@p");
    } catch (error) {
      expect(error).toBeInstanceOf(TikLiveError);
      expect(String((error as Error).message)).not.toContain("hunter2");
    }
  });
});
