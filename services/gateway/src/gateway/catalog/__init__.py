"""/products, /categories and /price-lists: the catalog, and what inventory holds of a product."""
