"""Runs the suite on one machine with real infrastructure: Kafka from Maven Central jars,
a private PostgreSQL cluster, and every service as a process."""
