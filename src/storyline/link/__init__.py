"""Linking across articles: who is who (people.py), and later reuse, stories and events."""
