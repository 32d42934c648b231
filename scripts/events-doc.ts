// Generates docs/events.md from the event types, so the event reference cannot drift from the
// code. What it reads:
//   - the event names and their types: `CoreEventMap` (packages/core/src/events/types.ts) and
//     `ClientEventMap` (packages/client/src/client-events.ts), through the TypeScript compiler;
//     the client's control events are the names ClientEventMap adds to CoreEventMap;
//   - each event's fields, their types and their TSDoc, from the event interfaces;
//   - which Webcast message (wire method) produces which event, from the message handlers
//     core registers by default (`defaultMessageHandlers`), imported at run time; the generic
//     method events (`isMethodEvent`) share one interface, documented once, and get a short
//     section each.
// A new event type, field or handler shows up on the next run without touching this script.
// Usage: pnpm docs:events (writes the file) / pnpm docs:check (exits 1 when it is out of date).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultMessageHandlers, eventAliases, isMethodEvent } from "@tiklive/core";
import ts from "typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
/** Where the generated file lives, relative to the repository root. */
export const eventsDocPath = "docs/events.md";

const coreTypesFile = "packages/core/src/events/types.ts";
const clientEventsFile = "packages/client/src/client-events.ts";

/** One field of an event or of a type an event uses. */
export interface FieldDoc {
  name: string;
  optional: boolean;
  type: string;
  doc: string;
}

/** One event, as the generated page describes it. */
export interface EventDoc {
  name: string;
  /**
   * `message`: mapped from a Webcast message; `method`: a generic event carrying a Webcast
   * message tiklive has no friendly mapper for; `derived`: made by core itself; `control`: the
   * client's own.
   */
  group: "message" | "method" | "derived" | "control";
  /** The TypeScript type of the event, e.g. `ChatEvent` or `SocialEvent<"follow">`. */
  typeName: string;
  /** The Webcast methods (wire message names) this event comes from, sorted. */
  methods: string[];
  /** Other events the same message(s) can produce, sorted. */
  siblings: string[];
  doc: string;
  /** The event's own fields, in declaration order (without `type` and inherited fields). */
  fields: FieldDoc[];
  /** Interfaces the event inherits fields from (e.g. `EventBase`). */
  bases: string[];
}

/** An interface, class or literal union that event fields use. */
export interface TypeDoc {
  name: string;
  kind: "interface" | "class" | "union";
  doc: string;
  heritage: string;
  fields: FieldDoc[];
  /** For unions of literals: each value, with the name of its constant and its TSDoc where there is one. */
  values: { value: string; constant: string; doc: string }[];
}

/** Everything the page is rendered from. */
export interface EventsModel {
  events: EventDoc[];
  /** The interface every generic method event instantiates (`MethodEvent<N>`), with its fields as written. */
  methodEvent: TypeDoc | undefined;
  /** Interfaces message events inherit from, with their fields. */
  bases: TypeDoc[];
  types: TypeDoc[];
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Source files of the repository's own packages (not generated protobuf code, not libraries). */
function isOwnSource(file: ts.SourceFile): boolean {
  const path = resolve(file.fileName);
  return (
    path.startsWith(join(root, "packages")) &&
    path.includes("/src/") &&
    !path.includes("/src/gen/") &&
    !path.includes("node_modules")
  );
}

/** The last `/** … *\/` comment right before a node, as plain text (`*` gutters removed). */
function tsdocBefore(text: string, pos: number, end: number): string {
  const between = text.slice(pos, end);
  const matches = [...between.matchAll(/\/\*\*([\s\S]*?)\*\//g)];
  const last = matches.at(-1);
  if (last === undefined) return "";
  // Only a comment that directly precedes the node (nothing after it but whitespace, or the
  // `|` of a union member).
  if (!/^\s*\|?\s*$/.test(between.slice((last.index ?? 0) + last[0].length))) return "";
  return (last[1] ?? "")
    .split("\n")
    .map((line) => line.replace(/^\s*\*\s?/, "").trim())
    .join("\n")
    .trim();
}

function docOf(node: ts.Node): string {
  // `export const X = …`: the comment belongs to the statement, not the declaration.
  const target =
    ts.isVariableDeclaration(node) && ts.isVariableStatement(node.parent.parent) ? node.parent.parent : node;
  const file = target.getSourceFile();
  return tsdocBefore(file.text, target.getFullStart(), target.getStart(file));
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

/** A type as written in the source (comments dropped, one line), so unions keep their order. */
function writtenType(node: ts.TypeNode): string {
  return printer.printNode(ts.EmitHint.Unspecified, node, node.getSourceFile()).replace(/\s+/g, " ").trim();
}

/** True when a type node mentions a type parameter of its declaration (e.g. `type: T`). */
function mentionsTypeParameter(node: ts.TypeNode, checker: ts.TypeChecker): boolean {
  let found = false;
  const walk = (n: ts.Node): void => {
    if (found) return;
    if (ts.isTypeReferenceNode(n)) {
      const symbol = checker.getSymbolAtLocation(n.typeName);
      if (symbol !== undefined && (symbol.flags & ts.SymbolFlags.TypeParameter) !== 0) found = true;
    }
    ts.forEachChild(n, walk);
  };
  walk(node);
  return found;
}

function symbolDoc(symbol: ts.Symbol | undefined): string {
  const declaration = symbol?.declarations?.[0];
  return declaration === undefined ? "" : docOf(declaration);
}

function createChecker(): ts.TypeChecker & { program: ts.Program } {
  const configPath = join(root, "tsconfig.test.json");
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (config.error !== undefined) {
    throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, "\n"));
  }
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram({
    rootNames: [join(root, coreTypesFile), join(root, clientEventsFile)],
    options: { ...parsed.options, noEmit: true },
  });
  return Object.assign(program.getTypeChecker(), { program });
}

/** Collects the events, their fields and the types they use. */
export function collectEvents(): EventsModel {
  const checker = createChecker();
  const { program } = checker;

  const exported = (file: string, name: string): ts.Symbol => {
    const source = program.getSourceFile(join(root, file));
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    const symbol =
      module === undefined ? undefined : checker.getExportsOfModule(module).find((s) => s.name === name);
    if (symbol === undefined) throw new Error(`${file} does not export ${name}`);
    return symbol;
  };
  const propertiesOf = (file: string, name: string): Map<string, ts.Type> =>
    new Map(
      checker
        .getPropertiesOfType(checker.getDeclaredTypeOfSymbol(exported(file, name)))
        .map((p) => [p.name, checker.getTypeOfSymbol(p)] as const),
    );

  const coreEvents = propertiesOf(coreTypesFile, "CoreEventMap");
  const clientEvents = propertiesOf(clientEventsFile, "ClientEventMap");

  // Event name -> methods, and method -> event names, from the handlers core registers.
  const methodsOf = new Map<string, Set<string>>();
  const eventsOfMethod = new Map<string, readonly string[]>();
  for (const handler of defaultMessageHandlers) {
    eventsOfMethod.set(handler.method, handler.events);
    for (const name of handler.events) {
      const methods = methodsOf.get(name) ?? new Set<string>();
      methods.add(handler.method);
      methodsOf.set(name, methods);
    }
  }

  const eventTypeSymbols = new Set<ts.Symbol>();
  for (const type of clientEvents.values()) if (type.symbol !== undefined) eventTypeSymbols.add(type.symbol);

  const typeString = (type: ts.Type, at: ts.Node | undefined): string =>
    checker.typeToString(
      type,
      at,
      ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope,
    );

  const fieldOf = (property: ts.Symbol): FieldDoc => {
    const declaration = property.declarations?.[0];
    const typeNode =
      declaration !== undefined &&
      (ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration))
        ? declaration.type
        : undefined;
    return {
      name: property.name,
      optional: (property.flags & ts.SymbolFlags.Optional) !== 0,
      // As written where possible (the checker's union order depends on what it saw first).
      type:
        typeNode !== undefined && !mentionsTypeParameter(typeNode, checker)
          ? writtenType(typeNode)
          : typeString(checker.getTypeOfSymbol(property), declaration),
      doc: declaration === undefined ? "" : docOf(declaration),
    };
  };

  // Types the fields use, found by walking field types (unions, arrays, type arguments, members).
  const used = new Map<ts.Symbol, TypeDoc>();
  const seen = new Set<ts.Type>();
  const visit = (type: ts.Type): void => {
    if (seen.has(type)) return;
    seen.add(type);
    const alias = type.aliasSymbol;
    if (alias !== undefined && isOwnDeclaration(alias) && type.isUnion()) {
      if (type.types.every((t) => t.isLiteral() || (t.flags & ts.TypeFlags.BooleanLiteral) !== 0)) {
        recordUnion(alias, type);
        return;
      }
      // A union of events (e.g. `CoreEvent`) is documented by the event sections.
      if (type.types.some((t) => t.symbol !== undefined && eventTypeSymbols.has(t.symbol))) return;
    }
    if (type.isUnion() || type.isIntersection()) {
      for (const member of type.types) visit(member);
      return;
    }
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      for (const argument of checker.getTypeArguments(type as ts.TypeReference)) visit(argument);
      return;
    }
    const symbol = type.symbol;
    if (symbol === undefined || eventTypeSymbols.has(symbol)) return;
    if ((symbol.flags & ts.SymbolFlags.TypeLiteral) !== 0) {
      for (const property of checker.getPropertiesOfType(type)) visit(checker.getTypeOfSymbol(property));
      return;
    }
    if (!isOwnDeclaration(symbol)) return;
    if ((symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class)) === 0) return;
    if (used.has(symbol)) return;
    const declaration = symbol.declarations?.find(
      (d): d is ts.InterfaceDeclaration | ts.ClassDeclaration =>
        ts.isInterfaceDeclaration(d) || ts.isClassDeclaration(d),
    );
    const isClass = declaration !== undefined && ts.isClassDeclaration(declaration);
    const properties = checker
      .getPropertiesOfType(type)
      .filter(
        (p) =>
          (p.flags & ts.SymbolFlags.Property) !== 0 &&
          (p.declarations ?? []).some((d) => isOwnSource(d.getSourceFile())),
      );
    used.set(symbol, {
      name: symbol.name,
      kind: isClass ? "class" : "interface",
      doc: symbolDoc(symbol),
      heritage:
        declaration?.heritageClauses?.map((h) => h.getText(declaration.getSourceFile())).join(" ") ?? "",
      fields: properties.map(fieldOf),
      values: [],
    });
    for (const property of properties) visit(checker.getTypeOfSymbol(property));
  };

  // A generic event interface, its fields with their types as written (`MethodEventData<N>`).
  function genericInterface(declaration: ts.Declaration): TypeDoc | undefined {
    if (!ts.isInterfaceDeclaration(declaration)) return undefined;
    const file = declaration.getSourceFile();
    const parameters = declaration.typeParameters?.map((p) => p.getText(file)).join(", ") ?? "";
    return {
      name: parameters === "" ? declaration.name.text : `${declaration.name.text}<${parameters}>`,
      kind: "interface",
      doc: docOf(declaration),
      heritage: declaration.heritageClauses?.map((h) => h.getText(file)).join(" ") ?? "",
      fields: declaration.members.filter(ts.isPropertySignature).map((member) => ({
        name: member.name.getText(file),
        optional: member.questionToken !== undefined,
        type: member.type === undefined ? "unknown" : writtenType(member.type),
        doc: docOf(member),
      })),
      values: [],
    };
  }

  function isOwnDeclaration(symbol: ts.Symbol): boolean {
    return (symbol.declarations ?? []).some((d) => isOwnSource(d.getSourceFile()));
  }

  function recordUnion(alias: ts.Symbol, type: ts.UnionType): void {
    if (used.has(alias)) return;
    // The `const X = { Name: "value" } as const; type X = …` pattern: name and document each value.
    const constants = new Map<string, { constant: string; doc: string }>();
    const valueDeclaration = alias.valueDeclaration;
    if (valueDeclaration !== undefined) {
      for (const property of checker.getPropertiesOfType(checker.getTypeOfSymbol(alias))) {
        const literal = checker.getTypeOfSymbol(property);
        if (literal.isLiteral()) {
          constants.set(JSON.stringify(literal.value), { constant: property.name, doc: symbolDoc(property) });
        }
      }
    }
    // Per-member TSDoc written inside the union (`/** … */ | "value"`).
    const declaration = alias.declarations?.find(ts.isTypeAliasDeclaration);
    const memberDocs = new Map<string, string>();
    if (declaration !== undefined && ts.isUnionTypeNode(declaration.type)) {
      const file = declaration.getSourceFile();
      let previousEnd = declaration.type.getFullStart();
      for (const member of declaration.type.types) {
        const doc = tsdocBefore(file.text, previousEnd, member.getStart(file));
        memberDocs.set(member.getText(file), doc);
        previousEnd = member.getEnd();
      }
    }
    // In source order: the constants' order, else the union's as written, else the checker's.
    const order =
      constants.size > 0
        ? [...constants.keys()]
        : memberDocs.size > 0
          ? [...memberDocs.keys()]
          : type.types.map((member) => typeString(member, undefined));
    const values = order.map((value) => {
      const constant = constants.get(value);
      return {
        value,
        constant: constant?.constant ?? "",
        doc: constant?.doc || memberDocs.get(value) || "",
      };
    });
    const valueDoc = valueDeclaration === undefined ? "" : docOf(valueDeclaration);
    const aliasDeclaration = declaration ?? alias.declarations?.[0];
    used.set(alias, {
      name: alias.name,
      kind: "union",
      doc: valueDoc || (aliasDeclaration === undefined ? "" : docOf(aliasDeclaration)),
      heritage: "",
      fields: [],
      values,
    });
  }

  const bases = new Map<string, TypeDoc>();
  const events: EventDoc[] = [];
  let methodEvent: TypeDoc | undefined;
  for (const [name, type] of clientEvents) {
    // Listener aliases (`subNotify`) are listed in their own table, not as events.
    if (!coreEvents.has(name) && Object.hasOwn(eventAliases, name)) continue;
    const symbol = type.symbol;
    const ownDeclaration = symbol?.declarations?.[0];
    const isMethod = coreEvents.has(name) && isMethodEvent({ type: name });
    if (isMethod && methodEvent === undefined && ownDeclaration !== undefined) {
      methodEvent = genericInterface(ownDeclaration);
    }
    const own: FieldDoc[] = [];
    const inherited = new Set<string>();
    for (const property of checker.getPropertiesOfType(type)) {
      const parent = property.declarations?.[0]?.parent;
      if (parent !== undefined && parent !== ownDeclaration && ts.isInterfaceDeclaration(parent)) {
        const base = parent.name.text;
        inherited.add(base);
        const fields = bases.get(base)?.fields ?? [];
        if (!fields.some((f) => f.name === property.name)) fields.push(fieldOf(property));
        bases.set(base, {
          name: base,
          kind: "interface",
          doc: docOf(parent),
          heritage: "",
          fields,
          values: [],
        });
      } else if (property.name !== "type") {
        own.push(fieldOf(property));
      }
      visit(checker.getTypeOfSymbol(property));
    }
    const methods = [...(methodsOf.get(name) ?? [])].sort(compareText);
    const siblings = new Set<string>();
    for (const method of methods) {
      for (const other of eventsOfMethod.get(method) ?? []) if (other !== name) siblings.add(other);
    }
    events.push({
      name,
      group: !coreEvents.has(name)
        ? "control"
        : isMethod
          ? "method"
          : methods.length > 0
            ? "message"
            : "derived",
      typeName: typeString(type, undefined),
      methods,
      siblings: [...siblings].sort(compareText),
      doc: symbolDoc(symbol),
      fields: own,
      bases: [...inherited].sort(compareText),
    });
  }
  // Base interfaces are documented once, not as "types used by events".
  for (const [symbol, doc] of used) if (bases.has(doc.name)) used.delete(symbol);

  return {
    events: events.sort((a, b) => compareText(a.name, b.name)),
    methodEvent,
    bases: [...bases.values()].sort((a, b) => compareText(a.name, b.name)),
    types: [...used.values()].sort((a, b) => compareText(a.name, b.name)),
  };
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/** Markdown for prose taken from TSDoc: one line, `{@link X}` as code, `<` escaped outside code. */
function prose(text: string): string {
  const oneLine = text
    .replace(/\{@link\s+([^}\s|]+)(?:\s*\|\s*([^}]+))?\}/g, (_m, target: string, label?: string) =>
      label === undefined ? `\`${target}\`` : `${label.trim()} (\`${target}\`)`,
    )
    .replace(/\s*\n\s*/g, " ")
    .trim();
  return oneLine
    .split(/(`[^`]*`)/)
    .map((part) =>
      part.startsWith("`")
        ? part
        : part.replace(/</g, "&lt;").replace(/docs\/protocol\.md/g, "[docs/protocol.md](protocol.md)"),
    )
    .join("")
    .replace(/\|/g, "\\|");
}

/** A type as inline code in a table cell. */
function code(text: string): string {
  return `\`${text.replace(/\s+/g, " ").replace(/\|/g, "\\|")}\``;
}

function fieldTable(fields: readonly FieldDoc[]): string[] {
  if (fields.length === 0) return ["No fields of its own."];
  return [
    "| Field | Type | Description |",
    "| --- | --- | --- |",
    ...fields.map((f) => `| \`${f.name}${f.optional ? "?" : ""}\` | ${code(f.type)} | ${prose(f.doc)} |`),
  ];
}

/** GitHub's heading anchor for a heading made of one code span. */
function anchor(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_ -]/g, "");
}

function eventSection(event: EventDoc): string[] {
  const lines = [`### \`${event.name}\``, ""];
  const source =
    event.group === "message"
      ? `From ${event.methods.map((m) => `\`${m}\``).join(", ")}` +
        (event.siblings.length > 0
          ? ` (which also produces ${event.siblings.map((s) => `[\`${s}\`](#${anchor(s)})`).join(", ")})`
          : "")
      : event.group === "derived"
        ? "Made by tiklive itself, not mapped from one Webcast message"
        : "Emitted by the client";
  lines.push(`Type \`${event.typeName}\`. ${source}.`, "");
  if (event.doc !== "") lines.push(prose(event.doc), "");
  lines.push(...fieldTable(event.fields));
  if (event.bases.length > 0) {
    const bases = event.bases.map((b) => `[\`${b}\`](#${anchor(b)})`).join(", ");
    lines.push("", `Plus the fields of ${bases}.`);
  }
  lines.push("");
  return lines;
}

// A generic method event: its method(s) and the message type of its `data` (named like the method).
function methodEventSection(event: EventDoc): string[] {
  const methods = event.methods.map((m) => `\`${m}\``);
  const twins = methods.length > 1 ? " (one message, spelt two ways by the public schemas)" : "";
  return [
    `### \`${event.name}\``,
    "",
    `From ${methods.join(", ")}${twins}: \`data\` is a ${methods.join(" or ")} (\`@tiklive/proto\`).`,
    "",
  ];
}

function methodEventsIntro(generic: TypeDoc | undefined): string[] {
  const lines = [
    "Every other Webcast message the public peers know (see `@tiklive/proto`'s method catalogue) has",
    "an event of its own, named after its method: the method without `Webcast` and `Message`, in",
    "lower camel case, an acronym counting as one word (`WebcastGiftGalleryMessage` -> `giftGallery`,",
    "`WebcastGameOCRPingMessage` and `WebcastGameOcrPingMessage` -> `gameOcrPing`); a name another",
    "event has keeps the `Message` (`WebcastHourlyRankMessage` -> `hourlyRankMessage`). Such an event",
    "carries the decoded message itself as `data`, fully typed; `isMethodEvent(event)` tells them apart.",
    "",
  ];
  if (generic === undefined) return lines;
  lines.push(
    `Each is a \`${generic.name}\`${generic.heritage === "" ? "" : ` (\`${generic.heritage}\`)`}. ${prose(generic.doc)}`,
    "",
    ...fieldTable(generic.fields),
    "",
  );
  const bases = /^extends\s+(.+)$/.exec(generic.heritage)?.[1]?.split(/\s*,\s*/) ?? [];
  if (bases.length > 0) {
    lines.push(`Plus the fields of ${bases.map((b) => `[\`${b}\`](#${anchor(b)})`).join(", ")}.`, "");
  }
  return lines;
}

function typeSection(type: TypeDoc): string[] {
  const lines = [`### \`${type.name}\``, ""];
  const what =
    type.kind === "union"
      ? "One of these values."
      : `${type.kind === "class" ? "Class" : "Interface"}${type.heritage === "" ? "" : ` (\`${type.heritage}\`)`}.`;
  lines.push(type.doc === "" ? what : `${prose(type.doc)} ${what}`, "");
  if (type.kind === "union") {
    const named = type.values.some((v) => v.constant !== "");
    lines.push(
      named ? "| Value | Constant | Description |" : "| Value | Description |",
      named ? "| --- | --- | --- |" : "| --- | --- |",
      ...type.values.map((v) =>
        named
          ? `| ${code(v.value)} | ${v.constant === "" ? "" : `\`${type.name}.${v.constant}\``} | ${prose(v.doc)} |`
          : `| ${code(v.value)} | ${prose(v.doc)} |`,
      ),
    );
  } else {
    lines.push(...fieldTable(type.fields));
  }
  lines.push("");
  return lines;
}

/** The page, from a model. Deterministic: everything is sorted, nothing depends on time or machine. */
export function renderEventsDoc(model: EventsModel): string {
  const byGroup = (group: EventDoc["group"]) => model.events.filter((e) => e.group === group);
  const index = (events: readonly EventDoc[]) => [
    "| Event | Type | Webcast message |",
    "| --- | --- | --- |",
    ...events.map(
      (e) =>
        `| [\`${e.name}\`](#${anchor(e.name)}) | ${code(e.typeName)} | ${
          e.methods.length > 0
            ? e.methods.map((m) => `\`${m}\``).join(", ")
            : e.group === "control"
              ? "— (client)"
              : "— (tiklive)"
        } |`,
    ),
  ];
  const lines = [
    "# Events",
    "",
    "<!-- Generated by scripts/events-doc.ts from the event types; do not edit. Run `pnpm docs:events`. -->",
    "",
    "Every event a `TikTokLiveClient` emits, with the TikTok message (Webcast method) it comes from",
    "and its fields. Listen with `client.on(name, listener)` or iterate `client.events()`; every",
    "event object has `type` set to its name. Message events also carry `raw`, the full decoded",
    "protobuf message (method events: `data`). Wire details are in [protocol.md](protocol.md).",
    "",
    "- [Message events](#message-events): mapped from TikTok's Webcast messages",
    "- [Webcast method events](#webcast-method-events): every other known Webcast message, decoded, as `data`",
    "- [Events made by tiklive](#events-made-by-tiklive): unknown messages, decode errors, completed gifts",
    "- [Client control events](#client-control-events): the connection's lifecycle and raw access",
    "- [Inherited fields](#inherited-fields) and [types used by events](#types-used-by-events)",
    "",
    "## Listener names that hear other events",
    "",
    "One TikTok message is one event. A few listener names hear events of other names too, so",
    "that nothing is emitted twice; `events({ only })` takes them the same way:",
    "",
    "| listener name | also receives |",
    "| --- | --- |",
    ...Object.entries(eventAliases)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([alias, members]) => `| \`${alias}\` | ${members.map((m) => `\`${m}\``).join(", ")} |`),
    "",
    "## Index",
    "",
    ...index(model.events),
    "",
    "## Message events",
    "",
    ...byGroup("message").flatMap(eventSection),
    "## Webcast method events",
    "",
    ...methodEventsIntro(model.methodEvent),
    ...byGroup("method").flatMap(methodEventSection),
    "## Events made by tiklive",
    "",
    ...byGroup("derived").flatMap(eventSection),
    "## Client control events",
    "",
    ...byGroup("control").flatMap(eventSection),
    "## Inherited fields",
    "",
    "Interfaces events extend; their fields are part of every event that names them.",
    "",
    ...model.bases.flatMap(typeSection),
    "## Types used by events",
    "",
    ...model.types.flatMap(typeSection),
  ];
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/\s+$/, "")}\n`;
}

/**
 * Formats markdown the way `biome ci` wants it (aligned tables), so the committed file passes
 * the lint and `--check` compares like with like.
 */
function formatMarkdown(markdown: string): string {
  const biome = createRequire(import.meta.url).resolve("@biomejs/biome/bin/biome");
  const result = spawnSync(process.execPath, [biome, "format", `--stdin-file-path=${eventsDocPath}`], {
    cwd: root,
    input: markdown,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`biome could not format ${eventsDocPath}:\n${result.stderr}`);
  return result.stdout;
}

/** The content docs/events.md should have. */
export function generateEventsDoc(): string {
  return formatMarkdown(renderEventsDoc(collectEvents()));
}

function main(args: readonly string[]): number {
  const path = join(root, eventsDocPath);
  const content = generateEventsDoc();
  if (args.includes("--check")) {
    const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    if (current !== content) {
      console.error(`${eventsDocPath} is out of date: run pnpm docs:events`);
      return 1;
    }
    console.log(`${eventsDocPath} is up to date`);
    return 0;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote ${eventsDocPath}`);
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
