"""The console: web pages people use, on top of the gateway's public API, as the signed-in user."""
