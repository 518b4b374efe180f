"""Gateway: the public REST API, composing the services over gRPC; it keeps only its own API
keys, idempotency records and their audit log."""
