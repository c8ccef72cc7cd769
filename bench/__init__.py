"""`make bench`: ERDM's speed measured against the real processes, each figure beside a baseline from the same run."""
