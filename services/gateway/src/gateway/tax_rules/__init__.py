"""/tax-rules: which taxes a product tax category carries in a customer tax zone."""
