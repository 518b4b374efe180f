"""/audit: who changed what, merged from every service's change log."""
