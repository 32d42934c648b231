import type { IncomingMessage, ServerResponse } from "node:http";

/** Handles one matched request. `params` are the pattern's capture groups, URI-decoded. */
export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  params: string[],
) => void | Promise<void>;

/** A route: method(s), a path pattern and a handler. */
export interface Route {
  methods: readonly string[];
  pattern: RegExp;
  handler: RouteHandler;
}

/** Shorthand for a {@link Route}. */
export function route(methods: string | readonly string[], pattern: RegExp, handler: RouteHandler): Route {
  return { methods: typeof methods === "string" ? [methods] : methods, pattern, handler };
}

/** The route for a path and method: `route` when found, `methodNotAllowed` when only the method differs. */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  pathname: string,
): { route: Route; params: string[] } | "methodNotAllowed" | undefined {
  let pathMatched = false;
  for (const r of routes) {
    const m = r.pattern.exec(pathname);
    if (m === null) continue;
    pathMatched = true;
    if (!r.methods.includes(method)) continue;
    const params = m.slice(1).map((p) => {
      try {
        return decodeURIComponent(p ?? "");
      } catch {
        return p ?? "";
      }
    });
    return { route: r, params };
  }
  return pathMatched ? "methodNotAllowed" : undefined;
}
