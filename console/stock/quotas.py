"""Stock pages: quotas (being built)."""
