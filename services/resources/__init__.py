"""Resources: depots, the GB/T 38565 catalog, lots, the stock ledger, reservations, equipment (应急物资与装备)."""
