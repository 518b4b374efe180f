"""/sales-orders/stalled and /sales-orders/{id}/retry: the order desk's stalled saga steps."""
