"""Stock pages: nearest (being built)."""
