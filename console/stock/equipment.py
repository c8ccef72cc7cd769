"""Stock pages: equipment (being built)."""
