"""The render stage: the project model to every target's outputs, in memory."""
