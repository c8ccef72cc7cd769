"""The supervision service's identity on the bus and in the stack."""
from contracts.catalogue import SUPERVISION

NAME = SUPERVISION
TITLE = "ERDM supervision"
DESCRIPTION = ("Hazards found in inspections and the rectification orders (整改指令) that follow them: signed for by "
               "the enterprise's head or deputy in charge, reported fixed, reviewed and closed (销号), looked back at "
               "(回头看); and severe-weather warnings to the enterprises they reach, each acknowledging (叫应), "
               "reporting what it did (停产撤人) and resuming.")
