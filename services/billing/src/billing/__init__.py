"""Billing service: owns invoices; invoices each shipment from its own copy of the order."""
