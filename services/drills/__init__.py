"""The drills service (应急演练): drills against approved plans, their reservations, evaluations and findings."""
