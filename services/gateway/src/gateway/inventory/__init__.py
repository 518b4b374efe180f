"""/warehouses, /stock, /receipts, /reservations, /shipments and returned goods: inventory."""
