"""Dispatch: the workflow of citizen field reports and the durable outbox of actions."""
