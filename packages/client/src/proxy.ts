import type { Agent } from "node:http";
import { ErrorCode, TikLiveError } from "@tiklive/core";
import { HttpsProxyAgent } from "https-proxy-agent";
import { SocksProxyAgent } from "socks-proxy-agent";
import { type Dispatcher, ProxyAgent, Socks5ProxyAgent } from "undici";

/** One proxy for both HTTP (an undici dispatcher) and the WebSocket (a Node http Agent). */
export interface Proxy {
  dispatcher: Dispatcher;
  agent: Agent;
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
      return { dispatcher: new ProxyAgent(url.toString()), agent: new HttpsProxyAgent(url) };
    case "socks:":
    case "socks5:":
    case "socks5h:": {
      const socks = new URL(url);
      socks.protocol = "socks5:";
      return { dispatcher: new Socks5ProxyAgent(socks.toString()), agent: new SocksProxyAgent(url) };
    }
    default:
      throw new TikLiveError(ErrorCode.InvalidInput, `proxy must be an http://, https:// or socks5:// URL, got ${url.protocol}`);
  }
}
