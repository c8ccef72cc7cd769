"""Stock pages: items (being built)."""
