"""/exchange-rates: the rates finance keeps in billing."""
