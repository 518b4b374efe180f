"""/customers: the customer master, kept by the orders service."""
