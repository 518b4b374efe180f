"""What every request passes through before its route and on its way back, outermost first:
tracing, crashes as problems, authentication (headers only), the caller's rate limit, the body
limit (the body is read only there), idempotency; then the route's role check. Also what the edge
keeps in its own database: API keys, idempotency records and the audit log of its keys."""
