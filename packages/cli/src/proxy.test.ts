import { createServer, request as httpRequest, type Server } from "node:http";
import { type AddressInfo, connect as netConnect, type Socket } from "node:net";
import { createProxy as createCliProxy } from "@tiklive/client";
import { TikLiveError } from "@tiklive/core";
import { startSimulator } from "@tiklive/simulator";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { memoryIo } from "./test-helpers.js";

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
