"""Stock pages: ledger (being built)."""
