"""The drills service's identity on the bus and in the stack."""
from contracts.catalogue import DRILLS

NAME = DRILLS
TITLE = "ERDM drills"
DESCRIPTION = ("Drills (应急演练) of approved plans: scheduling with reserved stock, conduct, AQ/T 9009 evaluation, "
               "findings and corrective actions followed until verified (整改 / 回头看), and the drill calendar.")
