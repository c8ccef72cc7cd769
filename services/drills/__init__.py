"""Drills: drills against approved plans, the reservation saga, evaluation and follow-up (应急演练)."""
