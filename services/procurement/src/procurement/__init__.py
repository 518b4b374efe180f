"""Procurement service: owns the supplier master (and later RFQs and purchase orders)."""
