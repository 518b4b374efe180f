"""/api-keys: the keys machines call the API with."""
