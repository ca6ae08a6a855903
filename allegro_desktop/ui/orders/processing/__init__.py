"""Processing orders from the window: set the fulfillment status, add a tracking number, on one
order or many, through the durable action queue (docs/ORDER-ACTIONS.md)."""
