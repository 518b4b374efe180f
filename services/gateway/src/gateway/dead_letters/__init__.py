"""/dead-letters: the events services could not apply, listed, re-driven and resolved by admins."""
