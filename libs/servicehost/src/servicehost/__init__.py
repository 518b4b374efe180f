"""Hosts a service process: its database, messaging, gRPC server and loops, stopped together."""
