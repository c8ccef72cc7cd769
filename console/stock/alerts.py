"""Stock pages: alerts (being built)."""
