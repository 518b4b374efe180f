"""Catalog service: owns products; answers look-ups; announces new products."""
