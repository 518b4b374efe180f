"""/sales-orders (with the order's summary across services), /reports of orders, /pipelines."""
