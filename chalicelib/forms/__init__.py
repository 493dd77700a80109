"""Intake form definitions: the three standard forms every organization starts with."""
