"""The resources service's HTTP layer: one blueprint per resource, schemas at the edge."""
