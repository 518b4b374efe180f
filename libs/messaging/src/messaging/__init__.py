"""Events between services: envelope, outbox and relay, inbox, consumer, dead letters."""
