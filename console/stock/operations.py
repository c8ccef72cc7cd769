"""Stock pages: operations (being built)."""
