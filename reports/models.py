"""Decisions and their frozen result rows arrive with the publication issue."""
