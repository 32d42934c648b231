import type { Agent } from "node:http";
import { ErrorCode, TikLiveError } from "@tiklive/core";
import { HttpsProxyAgent } from "https-proxy-agent";
import { SocksProxyAgent } from "socks-proxy-agent";
import { type Dispatcher, ProxyAgent, Socks5ProxyAgent } from "undici";

/** One proxy for both HTTP (an undici dispatcher) and the WebSocket (a Node http Agent). */
export interface Proxy {
  dispatcher: Dispatcher;
  agent: Agent;
  /** Releases the proxy's sockets. */
  close(): Promise<void>;
}

/**
 * Builds the HTTP dispatcher and WebSocket agent for one proxy URL: `http://` and `https://`
 * proxies tunnel with CONNECT, `socks5://` (or `socks://`, `socks5h://`) through SOCKS5.
 * Certificates of the target are verified as without a proxy.
 */
export function createProxy(proxyUrl: string): Proxy {
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    throw new TikLiveError(ErrorCode.InvalidInput, "proxy is not a URL", { secrets: [proxyUrl] });
  }
  switch (url.protocol) {
    case "http:":
    case "https:":
      return withClose(new ProxyAgent(url.toString()), new HttpsProxyAgent(url));
    case "socks:":
    case "socks5:":
    case "socks5h:": {
      const socks = new URL(url);
      socks.protocol = "socks5:";
      return withClose(new Socks5ProxyAgent(socks.toString()), new SocksProxyAgent(url));
    }
    default:
      throw new TikLiveError(
        ErrorCode.InvalidInput,
        `proxy must be an http://, https:// or socks5:// URL, got ${url.protocol}`,
      );
  }
}

function withClose(dispatcher: Dispatcher, agent: Agent): Proxy {
  return {
    dispatcher,
    agent,
    close: async () => {
      agent.destroy();
      await dispatcher.close().catch(() => {});
    },
  };
}
