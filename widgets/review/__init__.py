"""Review (time travel) views: the controller, the time bar, the REVIEW banner."""
