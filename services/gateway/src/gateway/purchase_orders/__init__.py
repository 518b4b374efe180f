"""/purchase-orders and /reorder-rules: what procurement orders, by hand or by rule."""
