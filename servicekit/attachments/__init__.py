"""Files attached to a service's records (plans, drills, rectification orders), written once for every service.

sniff (what a file is, by its bytes) · names (a safe display name) · spool (bodies spooled while hashed, for the
gateway and the kit) · stores (the data folder or an S3-compatible bucket) · upload (one file taken in) · model and
migration (the table, mapped and as the migrations create it) · schemas and api (the blueprint a service registers).
"""
