"""What every service runs the same way: settings, database, gRPC, errors, identity, tracing."""
