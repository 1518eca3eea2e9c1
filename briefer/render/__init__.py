"""A Briefing into what a reader gets: the short layout, Jinja templates, typography, escaping,
78-column plain text and email; hands text and messages to the application's delivery.
"""
