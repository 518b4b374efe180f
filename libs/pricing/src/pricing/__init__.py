"""Money and prices: Decimal amounts with a currency, rounded explicitly to its minor unit."""
