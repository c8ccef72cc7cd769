"""Stock pages: exchange (being built)."""
