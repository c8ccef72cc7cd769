"""ERDM's command line and the make-run supervisor: which processes exist and how they start."""
