"""The resources service's identity on the bus and in the stack."""
from contracts.catalogue import RESOURCES

NAME = RESOURCES
TITLE = "ERDM resources"
DESCRIPTION = ("Depots, the GB/T 38565 catalog, lots with expiry, the stock ledger, balances and reservations "
               "(应急物资与装备).")
