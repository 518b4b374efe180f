"""Inventory service: owns warehouses, stock, reservations and shipments; never oversells."""
