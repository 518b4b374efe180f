"""/quotes and /quote-templates: quotes drafted, priced, sent, revised, accepted or rejected."""
