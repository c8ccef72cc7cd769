"""The plans service's use cases: keyword-only dependencies, no commits (the edge commits)."""
