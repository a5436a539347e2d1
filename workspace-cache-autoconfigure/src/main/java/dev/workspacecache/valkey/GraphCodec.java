package dev.workspacecache.valkey;

import tools.jackson.core.JsonParser;

/**
 * Encodes a serialised session graph. Format version 1, a CBOR array holding the raw
 * bytes: {@code [1, graph: bytes]}.
 */
final class GraphCodec implements ValueCodec<byte[]> {

	static final GraphCodec INSTANCE = new GraphCodec();

	private GraphCodec() {
	}

	@Override
	public byte[] encode(byte[] graph) {
		return VersionedCborFormat.write(graph.length, (generator) -> generator.writeBinary(graph));
	}

	@Override
	public byte[] decode(byte[] value) {
		JsonParser parser = VersionedCborFormat.open(value);
		byte[] graph = VersionedCborFormat.readBytes(parser, "the graph");
		VersionedCborFormat.close(parser);
		return graph;
	}

}
