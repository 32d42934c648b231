// The public surface of @tiklive/proto is its generated code: message types and
// their schemas (`fromBinary(WebcastChatMessageSchema, bytes)`), one module per
// .proto file. Everything here is generated from ../proto; never edit src/gen.

export * from "./gen/tiklive/webcast/v1/common_pb.js";
export * from "./gen/tiklive/webcast/v1/frame_pb.js";
export * from "./gen/tiklive/webcast/v1/messages_pb.js";
