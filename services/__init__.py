"""The three ERDM services, each a package with the same file names and its own database."""
