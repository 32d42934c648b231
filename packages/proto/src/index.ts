// The public surface of @tiklive/proto is its generated code: message types and
// their schemas (`fromBinary(WebcastChatMessageSchema, bytes)`), one module per
// .proto file (generated from ../proto; never edit src/gen), plus the method
// catalogue (which method names the public peers know) and the schema audit
// (what a payload carries that the schema does not declare).

export * from "./gen/tiklive/webcast/v1/common_pb.js";
export * from "./gen/tiklive/webcast/v1/frame_pb.js";
export * from "./gen/tiklive/webcast/v1/messages_pb.js";
export * from "./gen/tiklive/webcast/v1/methods_pb.js";
export * from "./method-catalogue.js";
export * from "./schema-audit.js";
