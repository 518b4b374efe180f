"""Procurement service: procure to pay -- suppliers, RFQs and proposals, supplier contracts,
purchase orders priced by the shared engine, and reorder rules."""
