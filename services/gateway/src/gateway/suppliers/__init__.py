"""/suppliers and /supplier-contracts: whom procurement buys from, and at what prices."""
