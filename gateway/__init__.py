"""The public entry: authenticates, routes and forwards /api/v1 calls to the services that own them."""
