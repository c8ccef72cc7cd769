"""What every ERDM service is built from, written once: app factory, outbox, relay, inbox, bus, transport."""
