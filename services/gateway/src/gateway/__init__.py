"""Gateway: the public REST API; owns no data; composes the services over gRPC."""
