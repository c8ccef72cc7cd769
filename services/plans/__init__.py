"""Plans: emergency plans, their versions, approval, filing and legal cycles (应急预案)."""
