"""Webhooks for integrators: admins subscribe a URL to event types; a notifier process of its own, consuming the bus
like any worker, POSTs each event of the subscription's scope there, signed, retried, every attempt listed."""
